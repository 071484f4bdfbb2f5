/** Counters a running loop exposes as `loop.stats`. */
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
