/**
 * The next offset owed per partition, so that a record delivered once is not
 * delivered again. On Deno a poll waits on another thread: when a loop pauses
 * a partition while that poll already holds one of its records, librdkafka
 * can note the position before that record and, on resume, fetch the record
 * again (a retry stage dead-lettered one record twice). Only a seek, a
 * rebalance or an offset reset may move a partition back.
 *
 * @module
 */
import type { IncomingMessage, TopicPartition } from "../types.ts";
import { PartitionMap } from "../common/partition_key.ts";

/**
 * Admits each partition's records in increasing offsets only.
 *
 * @example
 * ```ts
 * import { DeliveredOffsets } from "./delivered_offsets.ts";
 * const delivered = new DeliveredOffsets();
 * const record = { topic: "t", partition: 0, offset: 7 };
 * delivered.admits(record); // true
 * delivered.admits(record); // false: fetched again
 * ```
 */
export class DeliveredOffsets {
  readonly #next = new PartitionMap<number>();
  /** Partitions being seeked, by how many seeks: any of their records is admitted meanwhile. */
  readonly #seeking = new PartitionMap<number>();

  /** True for a record past the last one admitted from its partition, which it then becomes. */
  admits(record: Pick<IncomingMessage, "topic" | "partition" | "offset">): boolean {
    if (this.#seeking.size > 0 && this.#seeking.has(record)) return true;
    const next = this.#next.get(record);
    if (next !== undefined && record.offset < next) return false;
    this.#next.set(record, record.offset + 1);
    return true;
  }

  /**
   * Lets a partition move back while it is seeked (a poll may run meanwhile,
   * with records from before or after the seek); call the returned function
   * once the seek ended.
   */
  seeking(tp: TopicPartition): () => void {
    this.#seeking.set(tp, (this.#seeking.get(tp) ?? 0) + 1);
    return () => {
      const left = this.#seeking.get(tp)! - 1;
      if (left > 0) this.#seeking.set(tp, left);
      else this.#seeking.delete(tp);
      this.#next.delete(tp);
    };
  }

  /** Lets every partition move back: a rebalance or an offset reset. */
  clear(): void {
    this.#next.clear();
  }
}
