/**
 * The memory transport's admin client.
 *
 * @module
 */
import type { TopicPartitionOffset, TopicSpec, TransportAdmin } from "../types.ts";
import { type MemoryBroker, unknownTopic } from "./broker.ts";

/** Manages topics and reads group offsets of a {@link MemoryBroker}. */
export class MemoryAdmin implements TransportAdmin {
  readonly #broker: MemoryBroker;

  /** Creates an admin client of `broker`. */
  constructor(broker: MemoryBroker) {
    this.#broker = broker;
  }

  ensureTopic(spec: TopicSpec): Promise<boolean> {
    return Promise.resolve(this.#broker.createTopic(spec.topic, spec.partitions ?? 1));
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
