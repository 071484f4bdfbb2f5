/**
 * Counters a running loop exposes as `loop.stats`.
 *
 * @example
 * ```ts
 * setInterval(() => console.log(loop.stats.processed, loop.stats.lag, loop.stats.inFlight), 10_000);
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
  /**
   * Consumer lag: records written to the assigned partitions and not yet
   * received (high watermark minus position, summed), refreshed at every poll.
   */
  lag: number;
  /** Messages received whose handling has not finished. */
  inFlight: number;
  /**
   * Messages waiting for the Schema Registry to answer (it did not: a network
   * error, a timeout, HTTP 5xx or 429); their partitions are paused meanwhile.
   */
  waitingForRegistry: number;
}

/** Counters of a loop that has not run yet: every one zero. */
export function zeroStats(): LoopStats {
  return {
    processed: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    lag: 0,
    inFlight: 0,
    waitingForRegistry: 0,
  };
}
