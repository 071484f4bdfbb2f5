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

/**
 * A map keyed by partition, so no caller builds or splits keys itself.
 * Lookups go through a map per topic: a loop looks up every record's
 * partition, and a key string per lookup was a measurable share of it.
 */
export class PartitionMap<V> {
  // In insertion order, for the listings.
  readonly #entries = new Map<string, Entry<V>>();
  readonly #byTopic = new Map<string, Map<number, Entry<V>>>();

  /** How many partitions the map holds. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of a partition, if it has one. */
  get(tp: TopicPartition): V | undefined {
    return this.#byTopic.get(tp.topic)?.get(tp.partition)?.value;
  }

  /** Whether the partition has a value. */
  has(tp: TopicPartition): boolean {
    return this.#byTopic.get(tp.topic)?.has(tp.partition) ?? false;
  }

  /** Sets the value of a partition (the first `tp` given is the one kept, as a plain pair). */
  set(tp: TopicPartition, value: V): this {
    const entry = this.#byTopic.get(tp.topic)?.get(tp.partition);
    if (entry) {
      entry.value = value;
      return this;
    }
    const added = { tp: { topic: tp.topic, partition: tp.partition }, value };
    this.#entries.set(partitionKey(tp), added);
    let partitions = this.#byTopic.get(tp.topic);
    if (!partitions) this.#byTopic.set(tp.topic, partitions = new Map());
    partitions.set(tp.partition, added);
    return this;
  }

  /** Removes a partition; true when it was there. */
  delete(tp: TopicPartition): boolean {
    const partitions = this.#byTopic.get(tp.topic);
    if (!partitions?.delete(tp.partition)) return false;
    if (partitions.size === 0) this.#byTopic.delete(tp.topic);
    return this.#entries.delete(partitionKey(tp));
  }

  /** Removes every partition. */
  clear(): void {
    this.#entries.clear();
    this.#byTopic.clear();
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

interface Entry<V> {
  readonly tp: TopicPartition;
  value: V;
}
