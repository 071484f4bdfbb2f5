/**
 * What a suppressed produce answers: one report per message, marked
 * `suppressed: true`, so the caller sees that nothing was sent; and a count
 * per topic, with a debug line when `FLOWODM_DEBUG` is set.
 *
 * @module
 */
import process from "node:process";
import type { DeliveryReport } from "../transport/types.ts";

const counts = new Map<string, number>();

/**
 * Messages suppressed so far in this process, per topic.
 *
 * @example
 * ```ts
 * import { suppressedCounts } from "@flowodm/flowodm";
 * console.log(suppressedCounts()["orders"] ?? 0);
 * ```
 */
export function suppressedCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** Counts and logs `count` suppressed messages of `topic` and makes their reports. */
export function suppressedReports(
  topic: string,
  count: number,
  partition: number | undefined,
  what: string,
): DeliveryReport[] {
  counts.set(topic, (counts.get(topic) ?? 0) + count);
  if (process.env.FLOWODM_DEBUG) {
    console.debug(`[flowodm] suppressed ${count} ${what} message(s) to ${topic}`);
  }
  const timestamp = Date.now();
  return Array.from(
    { length: count },
    () => ({ topic, partition: partition ?? -1, offset: -1, timestamp, suppressed: true }),
  );
}
