/**
 * Where failed messages go: the retry topics (`<group>.<topic>.retry.<n>`,
 * named once here) and the dead letter topic, with FlowODM's failure headers,
 * written with a confirmed delivery.
 *
 * @module
 */
import type { LoopSettings } from "../profiles/settings.ts";
import type {
  IncomingMessage,
  KafkaHeader,
  Transport,
  TransportProducer,
} from "../transport/types.ts";
import type { Latch } from "./latch.ts";
import type { LoopLogger } from "./logger.ts";
import type { ConsumerLoopOptions } from "./options.ts";

const defaultRetryDelays = [1_000, 10_000, 60_000];

/** The delay before each retry topic's attempt, from the `retryTopics` option. */
export function retryTopicDelays(retry: ConsumerLoopOptions<unknown>["retryTopics"]): number[] {
  if (retry === undefined) return [];
  if (retry === true) return defaultRetryDelays;
  const attempts = retry.attempts ?? retry.delaysMs?.length ?? defaultRetryDelays.length;
  const delays = retry.delaysMs ?? defaultRetryDelays;
  return Array.from({ length: attempts }, (_, i) => delays[Math.min(i, delays.length - 1)]);
}

/** The topics of a loop's failures, named once from its group, topic and options. */
export class FailureRoutes {
  /** `<group>.<topic>.retry.<n>` for n = 1..attempts; empty without `retryTopics`. */
  readonly retryTopics: readonly string[];
  /** The delay of each retry topic, in the same order. */
  readonly retryDelays: readonly number[];
  /** `<group>.<topic>.dlt`, the option's topic, or undefined without `deadLetter`. */
  readonly deadLetterTopic?: string;
  #producer?: TransportProducer;

  /** Names the topics; nothing connects before `open()`. */
  constructor(
    group: string,
    topic: string,
    options: Pick<ConsumerLoopOptions<unknown>, "retryTopics" | "deadLetter">,
  ) {
    this.retryDelays = retryTopicDelays(options.retryTopics);
    this.retryTopics = this.retryDelays.map((_, i) => `${group}.${topic}.retry.${i + 1}`);
    this.deadLetterTopic = options.deadLetter === undefined
      ? undefined
      : options.deadLetter === true
      ? `${group}.${topic}.dlt`
      : options.deadLetter.topic;
  }

  /** The retry topic of a failed attempt (1-based), or undefined past the last one. */
  retryTopic(attempt: number): { topic: string; delayMs: number } | undefined {
    const topic = this.retryTopics[attempt - 1];
    return topic === undefined ? undefined : { topic, delayMs: this.retryDelays[attempt - 1] };
  }

  /** Every topic failures may be written to. */
  get topics(): string[] {
    return [...this.retryTopics, ...(this.deadLetterTopic ? [this.deadLetterTopic] : [])];
  }

  /** Creates the topics (with the source's partition count) and the producer, when there are any. */
  async open(transport: Transport, source: string, settings: LoopSettings): Promise<void> {
    if (this.topics.length === 0) return;
    const admin = await transport.admin();
    try {
      const partitions = await admin.partitionCount(source);
      for (const topic of this.topics) await admin.ensureTopic({ topic, partitions });
    } finally {
      await admin.close();
    }
    this.#producer = await transport.producer(settings.producer);
  }

  /**
   * Writes the message's original bytes, same partition, with `headers`;
   * retries until the delivery is confirmed (true) or `stopping` turns on (false).
   */
  async forward(
    message: IncomingMessage,
    topic: string,
    headers: KafkaHeader[],
    stopping: Latch,
    log: LoopLogger,
  ): Promise<boolean> {
    const producer = this.#producer;
    if (!producer) throw new Error(`no producer for ${topic}: FailureRoutes.open() was not called`);
    for (let attempt = 1;; attempt++) {
      const [result] = await producer.send([{
        topic,
        partition: message.partition,
        key: message.key,
        value: message.value,
        headers,
        timestamp: message.timestamp,
      }]);
      if (result.ok) return true;
      log.error("forwarding failed; retrying", {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        to: topic,
        error: String(result.error),
      });
      if (!await stopping.sleep(Math.min(1_000 * attempt, 10_000))) return false;
    }
  }

  /** Closes the producer. */
  async close(): Promise<void> {
    await this.#producer?.close();
    this.#producer = undefined;
  }
}
