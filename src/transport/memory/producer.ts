/**
 * The memory transport's producer: appends to the in-process broker,
 * partitioning keys with murmur2 as Java clients do.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import { keyPartition } from "../murmur2.ts";
import type { DeliveryResult, OutgoingMessage, TransportProducer } from "../types.ts";
import { type MemoryBroker, unknownTopic } from "./broker.ts";

/** What the memory producer enforces, as a broker would. */
export interface MemoryProducerLimits {
  /** Create a topic on first send (`auto.create.topics.enable`); default false. */
  readonly autoCreateTopics: boolean;
  /** Largest record in bytes: key + value + headers (`message.max.bytes`). */
  readonly maxMessageBytes: number;
}

function recordSize(message: OutgoingMessage): number {
  let size = (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [key, value] of message.headers ?? []) size += key.length + value.length;
  return size;
}

/** Sends records to a {@link MemoryBroker}. */
export class MemoryProducer implements TransportProducer {
  readonly #broker: MemoryBroker;
  readonly #limits: MemoryProducerLimits;
  #closed = false;

  /** Creates a producer on `broker`. */
  constructor(broker: MemoryBroker, limits: MemoryProducerLimits) {
    this.#broker = broker;
    this.#limits = limits;
  }

  send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]> {
    if (this.#closed) {
      return Promise.reject(new TransportError("producer is closed", { codeName: "_DESTROY" }));
    }
    return Promise.resolve(messages.map((message) => this.#deliver(message)));
  }

  #deliver(message: OutgoingMessage): DeliveryResult {
    try {
      if (recordSize(message) > this.#limits.maxMessageBytes) {
        throw new TransportError(
          `Broker: Message size too large (${
            recordSize(message)
          } > ${this.#limits.maxMessageBytes} bytes)`,
          { code: 10, codeName: "MSG_SIZE_TOO_LARGE" },
        );
      }
      let partitions = this.#broker.topics.get(message.topic);
      if (!partitions && this.#limits.autoCreateTopics) {
        this.#broker.createTopic(message.topic, 1);
        partitions = this.#broker.topics.get(message.topic);
      }
      if (!partitions) throw unknownTopic(message.topic);
      const partition = message.partition ??
        (message.key
          ? keyPartition(message.key, partitions.length)
          : Math.floor(Math.random() * partitions.length));
      const log = this.#broker.partition({ topic: message.topic, partition });
      const report = {
        topic: message.topic,
        partition,
        offset: log.length,
        timestamp: message.timestamp ?? Date.now(),
      };
      this.#broker.append({
        ...report,
        // The broker keeps its own copy, as a real one does: the caller's bytes may be
        // views into a buffer that holds other values, or be reused after send().
        key: message.key && message.key.slice(),
        value: message.value && message.value.slice(),
        headers: [...(message.headers ?? [])],
      });
      return { ok: true, report };
    } catch (error) {
      return { ok: false, error: error as Error, message };
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
