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
  #closed = false;

  /** Creates an admin client of `broker`. */
  constructor(broker: MemoryBroker) {
    this.#broker = broker;
  }

  /** Runs `work` on the broker: its result resolves, its error (or a closed client) rejects. */
  #run<T>(work: (broker: MemoryBroker) => T): Promise<T> {
    try {
      if (this.#closed) {
        throw new TransportError("the admin client is closed", { codeName: "_DESTROY" });
      }
      return Promise.resolve(work(this.#broker));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  ensureTopic(spec: TopicSpec): Promise<boolean> {
    return this.#run((broker) => {
      // One broker holds one replica, as a single-node Kafka says.
      if ((spec.replicationFactor ?? 1) !== 1 && !broker.topics.has(spec.topic)) {
        throw new TransportError(
          `cannot create topic ${spec.topic}: Replication factor: ${spec.replicationFactor} ` +
            "larger than available brokers: 1.",
          { code: 38, codeName: "INVALID_REPLICATION_FACTOR" },
        );
      }
      return broker.createTopic(spec.topic, spec.partitions ?? 1);
    });
  }

  describeTopic(topic: string): Promise<PartitionReplicas[]> {
    return this.#run((broker) => {
      const partitions = broker.topics.get(topic);
      if (!partitions) throw unknownTopic(topic);
      return partitions.map((_, partition) => ({
        partition,
        leader: brokerId,
        replicas: [brokerId],
        isr: [brokerId],
      }));
    });
  }

  brokers(): Promise<number[]> {
    return this.#run(() => [brokerId]);
  }

  deleteTopic(topic: string): Promise<void> {
    return this.#run((broker) => broker.deleteTopic(topic));
  }

  listTopics(): Promise<string[]> {
    return this.#run((broker) => [...broker.topics.keys()]);
  }

  partitionCount(topic: string): Promise<number> {
    return this.#run((broker) => {
      const partitions = broker.topics.get(topic);
      if (!partitions) throw unknownTopic(topic);
      return partitions.length;
    });
  }

  groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    return this.#run((broker) => broker.groupOffsets(groupId));
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
