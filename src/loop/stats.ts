/**
 * Counters a running loop exposes as `loop.stats`.
 *
 * @example
 * ```ts
 * setInterval(() => console.log(loop.stats.processed, loop.stats.deadLettered), 10_000);
 * ```
 */
export interface LoopStats {
  /** Messages whose handler finished. */
  processed: number;
  /** Handler attempts that threw. */
  failed: number;
  /** Retries (blocking) plus messages forwarded to a retry topic. */
  retried: number;
  /** Messages written to the dead letter topic. */
  deadLettered: number;
  /** Messages received and not yet committed. */
  lag: number;
}
