import { ConsumerLoop } from "./consumer_loop.ts";
import type { ConsumerLoopOptions } from "./options.ts";

/** Options of `AsyncConsumerLoop`: those of `ConsumerLoop` plus a concurrency bound. */
export interface AsyncConsumerLoopOptions<T> extends ConsumerLoopOptions<T> {
  /** Handlers running at once. Default 20. */
  readonly maxConcurrent?: number;
}

/**
 * A `ConsumerLoop` running up to `maxConcurrent` handlers at once. Messages
 * with the same key (or, with `orderBy: "partition"`, the same partition) are
 * handled in order; when handlers fall behind, partitions are paused rather
 * than buffered. Committed offsets follow the per-partition watermark: the
 * highest offset below which every message is finished.
 *
 * @example
 * ```ts
 * import { AsyncConsumerLoop } from "@flowodm/flowodm";
 * const loop = new AsyncConsumerLoop({
 *   model: Order,
 *   handler: async (order) => await save(order),
 *   maxConcurrent: 20,
 * });
 * await loop.run();
 * ```
 */
export class AsyncConsumerLoop<T> extends ConsumerLoop<T> {
  /** Creates the loop; nothing connects before `run()`. */
  constructor(options: AsyncConsumerLoopOptions<T>) {
    super(options, options.maxConcurrent ?? 20);
  }
}
