/**
 * A `ffi` consumer's lag from librdkafka's own cache (positions and the
 * watermarks of the last fetch), without a broker round trip.
 *
 * @module
 */
import type { PartitionLag, TopicPartition } from "../types.ts";
import { createPartitionList, cString, readPartitionList } from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";

/** The lag of `partitions` of consumer `rk`; those with no position or watermark yet are left out. */
export function consumerLag(
  lib: NativeLibrary,
  rk: Pointer,
  partitions: readonly TopicPartition[],
): PartitionLag[] {
  const list = createPartitionList(lib, partitions);
  const low = new Uint8Array(8);
  const high = new Uint8Array(8);
  const out: PartitionLag[] = [];
  try {
    if (lib.call.rd_kafka_position(rk, list) !== 0) return out;
    for (const { topic, partition, offset: position } of readPartitionList(lib, list)) {
      if (position < 0) continue;
      const err = lib.call.rd_kafka_get_watermark_offsets(rk, cString(topic), partition, low, high);
      const highWatermark = Number(new DataView(high.buffer).getBigInt64(0, true));
      if (err !== 0 || highWatermark < 0) continue;
      out.push({ topic, partition, position, highWatermark, lag: highWatermark - position });
    }
    return out;
  } finally {
    lib.call.rd_kafka_topic_partition_list_destroy(list);
  }
}
