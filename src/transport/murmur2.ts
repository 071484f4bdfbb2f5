/**
 * Java's `Utils.murmur2` and the default partitioner's use of it, so that a
 * key lands on the partition a Java client (and librdkafka's `murmur2_random`)
 * puts it on.
 *
 * @module
 */

/**
 * The 32-bit murmur2 hash Kafka's Java client computes for keys (seed 0x9747b28c).
 *
 * @example
 * ```ts
 * import { murmur2 } from "./murmur2.ts";
 * console.log(murmur2(new TextEncoder().encode("key")));
 * ```
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  switch (length & 3) {
    case 3:
      h ^= data[whole + 2] << 16;
    // falls through
    case 2:
      h ^= data[whole + 1] << 8;
    // falls through
    case 1:
      h ^= data[whole];
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition Java's default partitioner chooses for a key:
 * `toPositive(murmur2(key)) % partitions`.
 *
 * @example
 * ```ts
 * import { keyPartition } from "./murmur2.ts";
 * console.log(keyPartition(new TextEncoder().encode("order-1"), 3));
 * ```
 */
export function keyPartition(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
