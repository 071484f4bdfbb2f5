/**
 * The one way a partition is named inside a map or set: `topic`, a NUL, then
 * the partition number. Kafka topic names are `[a-zA-Z0-9._-]` only, so the
 * key is unambiguous and {@link partitionOfKey} reads it back.
 *
 * @module
 */
import type { TopicPartition } from "../types.ts";

/**
 * The map key of a partition.
 *
 * @example
 * ```ts
 * import { partitionKey } from "./partition_key.ts";
 * partitionKey({ topic: "orders", partition: 3 }); // "orders\u00003"
 * ```
 */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** The partition a {@link partitionKey} names. */
export function partitionOfKey(key: string): TopicPartition {
  const at = key.lastIndexOf("\u0000");
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** A map keyed by partition, so no caller builds or splits keys itself. */
export class PartitionMap<V> {
  readonly #entries = new Map<string, { readonly tp: TopicPartition; value: V }>();

  /** How many partitions the map holds. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of a partition, if it has one. */
  get(tp: TopicPartition): V | undefined {
    return this.#entries.get(partitionKey(tp))?.value;
  }

  /** Whether the partition has a value. */
  has(tp: TopicPartition): boolean {
    return this.#entries.has(partitionKey(tp));
  }

  /** Sets the value of a partition (the first `tp` given is the one kept, as a plain pair). */
  set(tp: TopicPartition, value: V): this {
    const key = partitionKey(tp);
    const entry = this.#entries.get(key);
    if (entry) entry.value = value;
    else this.#entries.set(key, { tp: { topic: tp.topic, partition: tp.partition }, value });
    return this;
  }

  /** Removes a partition; true when it was there. */
  delete(tp: TopicPartition): boolean {
    return this.#entries.delete(partitionKey(tp));
  }

  /** Removes every partition. */
  clear(): void {
    this.#entries.clear();
  }

  /** The partitions, in insertion order. */
  partitions(): TopicPartition[] {
    return [...this.#entries.values()].map((entry) => entry.tp);
  }

  /** Partitions and their values, in insertion order. */
  *entries(): IterableIterator<[TopicPartition, V]> {
    for (const { tp, value } of this.#entries.values()) yield [tp, value];
  }
}
