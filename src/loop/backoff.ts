/**
 * How the delay between attempts grows.
 *
 * @example
 * ```ts
 * new ConsumerLoop({ model: Order, handler, backoff: "linear", retryDelayMs: 500 });
 * ```
 */
export type Backoff = "fixed" | "linear" | "exponential";

/**
 * Delay before retry number `retry` (1-based): fixed, linear or doubling from
 * `baseMs`, capped at `maxMs`.
 */
export function retryDelay(retry: number, baseMs: number, backoff: Backoff, maxMs: number): number {
  const raw = backoff === "fixed"
    ? baseMs
    : backoff === "linear"
    ? baseMs * retry
    : baseMs * 2 ** (retry - 1);
  return Math.min(raw, maxMs);
}
