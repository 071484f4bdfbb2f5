/**
 * What a model does with Kafka: produce (awaited, batched, fire-and-forget)
 * and consume (one, or as an async iterator), through its connection's
 * transport. Values are validated and encoded before anything is sent.
 */
import type { Connection } from "../config/connection.ts";
import { TransportError } from "../errors.ts";
import type {
  DeliveryReport,
  IncomingMessage,
  KafkaHeader,
  OutgoingMessage,
  TopicSpec,
  TransportConsumer,
} from "../transport/types.ts";

/** Options of one produced value; `K` is the model's key type. */
export interface ProduceOptions<K = string> {
  /** The key (raw bytes are sent as they are); the value's own key by default. */
  readonly key?: K | Uint8Array | null;
  /** Headers to add; strings are UTF-8 encoded. */
  readonly headers?: Readonly<Record<string, string | Uint8Array>>;
  /** An explicit partition; otherwise the key decides. */
  readonly partition?: number;
}

/** Options of consuming. */
export interface ConsumeOptions {
  /** The consumer group; the model's `consumerGroup` by default. */
  readonly groupId?: string;
  /** Start at the earliest offset when the group has none committed. */
  readonly fromBeginning?: boolean;
}

/** A consumed value with its Kafka coordinates; `K` is the model's key type. */
export interface ConsumedMessage<T, K = string> {
  /** The decoded, validated value. */
  readonly value: T;
  /** The key: UTF-8 text, or the decoded Avro key of a `keySchema` model; null without one. */
  readonly key: K | null;
  /** Headers as UTF-8 text (the last one wins for repeated names). */
  readonly headers: Readonly<Record<string, string>>;
  /** The topic. */
  readonly topic: string;
  /** The partition. */
  readonly partition: number;
  /** The offset. */
  readonly offset: number;
  /** The record timestamp, epoch milliseconds. */
  readonly timestamp: number;
  /** Commits this message's position for the group (at-least-once: call after handling). */
  commit(): Promise<void>;
}

/** What the operations need from a model. */
export interface Producible<T, K> {
  readonly name: string;
  readonly settings: { readonly topic: string; readonly consumerGroup?: string };
  readonly connection: Connection;
  encode(value: T): Promise<Uint8Array>;
  decode(
    bytes: Uint8Array | null,
    origin: { topic: string; partition: number; offset: number },
  ): Promise<T>;
  keyOf(value: T): K | null;
  encodeKey(key: K): Promise<Uint8Array>;
  decodeKey(
    bytes: Uint8Array | null,
    origin: { topic: string; partition: number; offset: number },
  ): Promise<K | null>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const noHeaders: readonly KafkaHeader[] = [];

function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

async function keyBytes<T, K>(
  model: Producible<T, K>,
  value: T,
  key: K | Uint8Array | null | undefined,
): Promise<Uint8Array | null> {
  if (key === null) return null;
  if (key instanceof Uint8Array) return key;
  const chosen = key === undefined ? model.keyOf(value) : key;
  return chosen === null ? null : await model.encodeKey(chosen);
}

async function outgoing<T, K>(
  model: Producible<T, K>,
  value: T,
  options: ProduceOptions<K> = {},
): Promise<OutgoingMessage> {
  const headers: readonly KafkaHeader[] = options.headers
    ? Object.entries(options.headers).map(([name, v]) => [name, toBytes(v)])
    : noHeaders;
  const [key, encoded] = await Promise.all([
    keyBytes(model, value, options.key),
    model.encode(value),
  ]);
  return {
    topic: model.settings.topic,
    partition: options.partition,
    key,
    value: encoded,
    headers,
  };
}

/** Sends one value and resolves where it landed. */
export async function produce<T, K>(
  model: Producible<T, K>,
  value: T,
  options?: ProduceOptions<K>,
): Promise<DeliveryReport> {
  const [report] = await produceMany(model, [value], options);
  return report;
}

/**
 * Validates and encodes every value first (so an invalid one sends nothing),
 * then sends them as one batch; resolves the reports in input order, or
 * rejects with a TransportError naming how many failed.
 */
export async function produceMany<T, K>(
  model: Producible<T, K>,
  values: readonly T[],
  options?: ProduceOptions<K>,
): Promise<DeliveryReport[]> {
  const messages = await Promise.all(values.map((value) => outgoing(model, value, options)));
  const producer = await model.connection.producer();
  const results = await producer.send(messages);
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const first = failed[0] as { error: Error };
    throw new TransportError(
      `${failed.length} of ${values.length} ${model.name} messages were not delivered: ${first.error.message}`,
      {
        cause: first.error,
        code: (first.error as TransportError).code,
        codeName: (first.error as TransportError).codeName,
      },
    );
  }
  return results.map((result) => (result as { report: DeliveryReport }).report);
}

/** Creates the model's topic unless it exists. */
export async function ensureTopic<T, K>(
  model: Producible<T, K>,
  spec: Omit<TopicSpec, "topic"> = {},
): Promise<boolean> {
  const admin = await (await model.connection.transport()).admin();
  try {
    return await admin.ensureTopic({ ...spec, topic: model.settings.topic });
  } finally {
    await admin.close();
  }
}

function groupOf<T, K>(model: Producible<T, K>, options: ConsumeOptions): string {
  const groupId = options.groupId ?? model.settings.consumerGroup;
  if (!groupId) {
    throw new TransportError(
      `${model.name} has no consumerGroup: pass { groupId } or set it in the model's settings`,
    );
  }
  return groupId;
}

async function subscribe<T, K>(
  model: Producible<T, K>,
  options: ConsumeOptions,
): Promise<TransportConsumer> {
  const transport = await model.connection.transport();
  const consumer = await transport.consumer({
    groupId: groupOf(model, options),
    fromBeginning: options.fromBeginning,
  });
  await consumer.subscribe([model.settings.topic]);
  return consumer;
}

function consumed<T, K>(
  message: IncomingMessage,
  value: T,
  key: K | null,
  consumer: TransportConsumer,
): ConsumedMessage<T, K> {
  const headers: Record<string, string> = {};
  for (const [name, bytes] of message.headers) headers[name] = decoder.decode(bytes);
  return {
    value,
    key,
    headers,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    commit: () =>
      consumer.commit([{
        topic: message.topic,
        partition: message.partition,
        offset: message.offset + 1,
      }]),
  };
}

/**
 * Reads the model's topic in a group, yielding decoded values. A message that
 * does not decode throws (with topic, partition and offset) and is not
 * committed; use a ConsumerLoop to dead-letter poison messages instead.
 */
export async function* consume<T, K>(
  model: Producible<T, K>,
  options: ConsumeOptions = {},
): AsyncGenerator<ConsumedMessage<T, K>, void, undefined> {
  const consumer = await subscribe(model, options);
  try {
    while (true) {
      for (const message of await consumer.poll(500, 1000)) {
        const [value, key] = await Promise.all([
          model.decode(message.value, message),
          model.decodeKey(message.key, message),
        ]);
        yield consumed(message, value, key, consumer);
      }
    }
  } finally {
    await consumer.close();
  }
}

/** Reads one value in the group and commits it, or resolves undefined after `timeoutMs`. */
export async function consumeOne<T, K>(
  model: Producible<T, K>,
  options: ConsumeOptions & { timeoutMs?: number } = {},
): Promise<T | undefined> {
  const consumer = await subscribe(model, options);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  try {
    while (Date.now() < deadline) {
      const [message] = await consumer.poll(1, Math.max(1, Math.min(1000, deadline - Date.now())));
      if (!message) continue;
      const value = await model.decode(message.value, message);
      await consumer.commit([{ ...message, offset: message.offset + 1 }]);
      return value;
    }
    return undefined;
  } finally {
    await consumer.close();
  }
}
