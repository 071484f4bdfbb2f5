import { ConsumerLoop } from "./consumer_loop.ts";
import type { ConsumerLoopOptions } from "./options.ts";

/** Options of `AsyncConsumerLoop`: those of `ConsumerLoop`, with `maxConcurrent` for `concurrency`. */
export interface AsyncConsumerLoopOptions<T, K = string> extends ConsumerLoopOptions<T, K> {
  /** Handlers running at once (the name the Python FlowODM uses). Default 20. */
  readonly maxConcurrent?: number;
}

/**
 * An alias of `ConsumerLoop` kept for users of the Python FlowODM:
 * `new AsyncConsumerLoop({ ..., maxConcurrent: 20 })` is
 * `new ConsumerLoop({ ..., concurrency: 20 })`, and its concurrency is 20
 * when neither is given. Messages with the same key (or, with
 * `orderBy: "partition"`, the same partition) are handled in order.
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
export class AsyncConsumerLoop<T, K = string> extends ConsumerLoop<T, K> {
  /** Creates the loop; nothing connects before `run()`. */
  constructor(options: AsyncConsumerLoopOptions<T, K>) {
    super({ ...options, concurrency: options.concurrency ?? options.maxConcurrent ?? 20 });
  }
}
