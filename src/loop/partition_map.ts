/**
 * A map keyed by partition, so that no loop code builds or splits string
 * keys. Local to the loop until `src/transport/common/partition_key.ts`
 * (the transport's `partitionKey`/`PartitionMap`, same API) lands on main.
 *
 * @module
 */
import type { TopicPartition } from "../transport/types.ts";

/** A partition's key inside the map: a branded string, never parsed back. */
type PartitionKey = string & { readonly partitionKey: unique symbol };

const keyOf = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}` as PartitionKey;

/** Values by partition; each entry keeps its partition as a plain pair. */
export class PartitionMap<V> {
  readonly #entries = new Map<PartitionKey, { readonly tp: TopicPartition; value: V }>();

  /** How many partitions the map holds. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of a partition, if it has one. */
  get(tp: TopicPartition): V | undefined {
    return this.#entries.get(keyOf(tp))?.value;
  }

  /** Whether the partition has a value. */
  has(tp: TopicPartition): boolean {
    return this.#entries.has(keyOf(tp));
  }

  /** Sets the value of a partition. */
  set(tp: TopicPartition, value: V): this {
    const entry = this.#entries.get(keyOf(tp));
    if (entry) entry.value = value;
    else this.#entries.set(keyOf(tp), { tp: { topic: tp.topic, partition: tp.partition }, value });
    return this;
  }

  /** Removes a partition; true when it was there. */
  delete(tp: TopicPartition): boolean {
    return this.#entries.delete(keyOf(tp));
  }

  /** Partitions and their values, in insertion order. */
  *entries(): IterableIterator<[TopicPartition, V]> {
    for (const { tp, value } of this.#entries.values()) yield [tp, value];
  }
}

/** The ordering key of a partition, for the key scheduler. */
export function partitionOrderKey(tp: TopicPartition): string {
  return keyOf(tp);
}
