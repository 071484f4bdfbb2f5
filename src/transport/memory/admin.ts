/**
 * The memory transport's admin client.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type {
  PartitionReplicas,
  TopicPartitionOffset,
  TopicSpec,
  TransportAdmin,
} from "../types.ts";
import { type MemoryBroker, unknownTopic } from "./broker.ts";

/** The one broker id of an in-process cluster. */
const brokerId = 0;

/** Manages topics and reads group offsets of a {@link MemoryBroker}. */
export class MemoryAdmin implements TransportAdmin {
  readonly #broker: MemoryBroker;

  /** Creates an admin client of `broker`. */
  constructor(broker: MemoryBroker) {
    this.#broker = broker;
  }

  ensureTopic(spec: TopicSpec): Promise<boolean> {
    // One broker holds one replica, as a single-node Kafka says.
    if ((spec.replicationFactor ?? 1) !== 1 && !this.#broker.topics.has(spec.topic)) {
      return Promise.reject(
        new TransportError(
          `cannot create topic ${spec.topic}: Replication factor: ${spec.replicationFactor} ` +
            "larger than available brokers: 1.",
          { code: 38, codeName: "INVALID_REPLICATION_FACTOR" },
        ),
      );
    }
    return Promise.resolve(this.#broker.createTopic(spec.topic, spec.partitions ?? 1));
  }

  describeTopic(topic: string): Promise<PartitionReplicas[]> {
    const partitions = this.#broker.topics.get(topic);
    if (!partitions) return Promise.reject(unknownTopic(topic));
    return Promise.resolve(partitions.map((_, partition) => ({
      partition,
      leader: brokerId,
      replicas: [brokerId],
      isr: [brokerId],
    })));
  }

  brokers(): Promise<number[]> {
    return Promise.resolve([brokerId]);
  }

  deleteTopic(topic: string): Promise<void> {
    try {
      this.#broker.deleteTopic(topic);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  listTopics(): Promise<string[]> {
    return Promise.resolve([...this.#broker.topics.keys()]);
  }

  partitionCount(topic: string): Promise<number> {
    const partitions = this.#broker.topics.get(topic);
    return partitions ? Promise.resolve(partitions.length) : Promise.reject(unknownTopic(topic));
  }

  groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    return Promise.resolve(this.#broker.groupOffsets(groupId));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
