/**
 * Reading librdkafka's cluster metadata (`rd_kafka_metadata_t`): the
 * brokers, and every topic with its partitions' leaders and replicas.
 *
 * @module
 */
import type { PartitionReplicas } from "../types.ts";
import { readString, transportError } from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { requestTimeoutMs } from "./request.ts";

// rd_kafka_metadata_t: broker_cnt@0, brokers@8, topic_cnt@16, topics@24.
// rd_kafka_metadata_broker_t (24 bytes): id@0, host@8, port@16.
// rd_kafka_metadata_topic_t (32 bytes): topic@0, partition_cnt@8, partitions@16, err@24.
// rd_kafka_metadata_partition_t (40 bytes): id@0, err@4, leader@8, replica_cnt@12,
// replicas@16, isr_cnt@24, isrs@32.
const mdBrokerCount = 0, mdBrokers = 8, brokerSize = 24;
const mdTopicCount = 16, mdTopics = 24, topicSize = 32, topicName = 0, topicPartitions = 8;
const topicPartitionArray = 16, topicErr = 24;
const partitionSize = 40, partitionLeader = 8, partitionReplicaCount = 12;
const partitionReplicas = 16, partitionIsrCount = 24, partitionIsrs = 32;

/** One topic of the metadata; `err` is non-zero for a topic the cluster does not have. */
export interface TopicMetadata {
  readonly name: string;
  readonly err: number;
  readonly partitions: PartitionReplicas[];
}

/** The cluster's metadata: broker ids (sorted) and topics. */
export interface ClusterMetadata {
  readonly brokers: number[];
  readonly topics: TopicMetadata[];
}

/** Asks a broker for the metadata of every topic (off the JS thread) and reads it. */
export async function clusterMetadata(lib: NativeLibrary, rk: Pointer): Promise<ClusterMetadata> {
  const out = new Uint8Array(new ArrayBuffer(8));
  const err = await lib.wait.rd_kafka_metadata(rk, 1, null, out, requestTimeoutMs);
  if (err !== 0) throw transportError(lib, err, "cannot read cluster metadata");
  const metadata = lib.pointer(new DataView(out.buffer).getBigUint64(0, true))!;
  try {
    return readMetadata(lib, metadata);
  } finally {
    lib.call.rd_kafka_metadata_destroy(metadata);
  }
}

function readMetadata(lib: NativeLibrary, metadata: Pointer): ClusterMetadata {
  const brokerArray = lib.readPointer(metadata, mdBrokers);
  const brokers = [];
  for (let i = 0; i < lib.readI32(metadata, mdBrokerCount) && brokerArray; i++) {
    brokers.push(lib.readI32(brokerArray, i * brokerSize));
  }
  const count = lib.readI32(metadata, mdTopicCount);
  const topics = lib.readPointer(metadata, mdTopics);
  const found: TopicMetadata[] = [];
  for (let i = 0; i < count && topics; i++) {
    const at = i * topicSize;
    found.push({
      name: readString(lib, lib.readPointer(topics, at + topicName)),
      err: lib.readI32(topics, at + topicErr),
      partitions: readPartitions(
        lib,
        lib.readPointer(topics, at + topicPartitionArray),
        lib.readI32(topics, at + topicPartitions),
      ),
    });
  }
  return { brokers: brokers.sort((a, b) => a - b), topics: found };
}

function readPartitions(
  lib: NativeLibrary,
  array: Pointer | null,
  count: number,
): PartitionReplicas[] {
  const ids = (pointer: Pointer | null, n: number) =>
    Array.from({ length: pointer ? n : 0 }, (_, i) => lib.readI32(pointer!, i * 4));
  const out: PartitionReplicas[] = [];
  for (let i = 0; i < count && array; i++) {
    const at = i * partitionSize;
    out.push({
      partition: lib.readI32(array, at),
      leader: lib.readI32(array, at + partitionLeader),
      replicas: ids(
        lib.readPointer(array, at + partitionReplicas),
        lib.readI32(array, at + partitionReplicaCount),
      ),
      isr: ids(
        lib.readPointer(array, at + partitionIsrs),
        lib.readI32(array, at + partitionIsrCount),
      ),
    });
  }
  return out.sort((a, b) => a.partition - b.partition);
}
