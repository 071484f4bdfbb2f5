/**
 * What a model does with Kafka: produce (awaited, batched, fire-and-forget)
 * and consume (one, or as an async iterator), through its connection's
 * transport. Values are validated and encoded before anything is sent.
 */
import type { Connection } from "../config/connection.ts";
import { TransportError } from "../errors.ts";
import { isSuppressed } from "../suppress/scope.ts";
import { suppressedReports } from "../suppress/reports.ts";
import { otelApi } from "../telemetry/api.ts";
import { tracedSend, traceMessage } from "../telemetry/tracing.ts";
import { decoderWaitingForRegistry } from "./decode_waiting.ts";
import type {
  DeliveryReport,
  IncomingMessage,
  KafkaHeader,
  OutgoingMessage,
  TopicSpec,
  TransportConsumer,
} from "../transport/types.ts";
import { type ConsumeOptions, groupOf, subscribe } from "./subscription.ts";

export type { ConsumeOptions } from "./subscription.ts";

/** Options of one produced value; `K` is the model's key type. */
export interface ProduceOptions<K = string> {
  /** The key (raw bytes are sent as they are); the value's own key by default. */
  readonly key?: K | Uint8Array | null;
  /** Headers to add; strings are UTF-8 encoded. */
  readonly headers?: Readonly<Record<string, string | Uint8Array>>;
  /** An explicit partition; otherwise the key decides. */
  readonly partition?: number;
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
  encodeMany(values: readonly T[]): Promise<Uint8Array[]>;
  decode(
    bytes: Uint8Array | null,
    origin: { topic: string; partition: number; offset: number },
  ): Promise<T>;
  keyOf(value: T): K | null;
  encodeKeys(keys: readonly (K | null)[]): Promise<(Uint8Array | null)[]>;
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

function headerBytes(headers: ProduceOptions<unknown>["headers"]): readonly KafkaHeader[] {
  return headers ? Object.entries(headers).map(([name, v]) => [name, toBytes(v)]) : noHeaders;
}

/** Key bytes of each value: explicit bytes or null as given, else the model's encoding. */
async function keysOf<T, K>(
  model: Producible<T, K>,
  values: readonly T[],
  optionsOf: (index: number) => ProduceOptions<K> | undefined,
): Promise<(Uint8Array | null)[]> {
  const given = values.map((_, i) => optionsOf(i)?.key);
  const chosen = values.map((value, i) => {
    const key = given[i];
    return key === undefined ? model.keyOf(value) : key instanceof Uint8Array ? null : key;
  });
  const encoded = await model.encodeKeys(chosen);
  return given.map((key, i) => (key instanceof Uint8Array ? key : encoded[i]));
}

/** Validates and encodes every value and key; the first invalid one throws before anything is sent. */
async function messagesOf<T, K>(
  model: Producible<T, K>,
  values: readonly T[],
  optionsOf: (index: number) => ProduceOptions<K> | undefined,
): Promise<OutgoingMessage[]> {
  const [keys, encoded] = await Promise.all([
    keysOf(model, values, optionsOf),
    model.encodeMany(values),
  ]);
  const topic = model.settings.topic;
  return encoded.map((value, i) => {
    const options = optionsOf(i);
    return {
      topic,
      partition: options?.partition,
      key: keys[i],
      value,
      headers: headerBytes(options?.headers),
    };
  });
}

function deliveryFailure(name: string, failed: number, total: number, error: Error) {
  return new TransportError(
    `${failed} of ${total} ${name} messages were not delivered: ${error.message}`,
    {
      cause: error,
      code: (error as TransportError).code,
      codeName: (error as TransportError).codeName,
    },
  );
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
  const messages = await messagesOf(model, values, () => options);
  const topic = model.settings.topic;
  if (isSuppressed(topic)) {
    return suppressedReports(topic, values.length, options?.partition, "produced");
  }
  const producer = await model.connection.producer();
  const results = await tracedSend(messages, (traced) => producer.send(traced));
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const first = failed[0] as { error: Error };
    throw deliveryFailure(model.name, failed.length, values.length, first.error);
  }
  return results.map((result) => (result as { report: DeliveryReport }).report);
}

/**
 * Sends a tombstone: the key with a null value, which marks the key deleted
 * (log compaction drops it); resolves where it landed.
 */
export async function tombstone<T, K>(
  model: Producible<T, K>,
  key: K | Uint8Array,
  options: Omit<ProduceOptions<K>, "key"> = {},
): Promise<DeliveryReport> {
  const [keyBytes] = key instanceof Uint8Array ? [key] : await model.encodeKeys([key]);
  const topic = model.settings.topic;
  if (isSuppressed(topic)) return suppressedReports(topic, 1, options.partition, "tombstone")[0];
  const producer = await model.connection.producer();
  const [result] = await tracedSend([{
    topic: model.settings.topic,
    partition: options.partition,
    key: keyBytes,
    value: null,
    headers: headerBytes(options.headers),
  }], (traced) => producer.send(traced));
  if (!result.ok) throw deliveryFailure(model.name, 1, 1, result.error);
  return result.report;
}

/** Fire-and-forget sending: `send` queues, `flush` waits for every delivery result so far. */
export interface Sender<T, K> {
  send(value: T, options?: ProduceOptions<K>): void;
  flush(): Promise<void>;
}

/**
 * Values sent in one turn of the event loop travel as one batch, so a loop of
 * sends costs one schema lookup and one transport call. Each value still
 * fails alone: an invalid one is reported and the others go out.
 */
export function sender<T, K>(
  model: Producible<T, K>,
  onDeliveryError: (error: unknown, value: T) => void,
): Sender<T, K> {
  // A throwing error hook must not stop the reports of the rest of the batch.
  const onError = (error: unknown, value: T) => {
    try {
      onDeliveryError(error, value);
    } catch (hookError) {
      console.error(`${model.name}: the delivery error hook threw:`, hookError);
    }
  };
  let queued: { value: T; options?: ProduceOptions<K> }[] = [];
  const inFlight = new Set<Promise<void>>();

  async function deliver(batch: { value: T; options?: ProduceOptions<K> }[]): Promise<void> {
    let messages: (OutgoingMessage | undefined)[];
    try {
      messages = await messagesOf(
        model,
        batch.map((entry) => entry.value),
        (i) => batch[i].options,
      );
    } catch {
      // Some value is invalid: encode them one by one so that only the invalid ones fail.
      messages = await Promise.all(
        batch.map((entry) =>
          messagesOf(model, [entry.value], () => entry.options).then(
            ([message]) => message,
            (error) => void onError(error, entry.value),
          )
        ),
      );
    }
    const sendable = messages.flatMap((message, i) => (message ? [{ message, i }] : []));
    if (sendable.length === 0) return;
    try {
      const producer = await model.connection.producer();
      const results = await tracedSend(
        sendable.map((entry) => entry.message),
        (traced) => producer.send(traced),
      );
      results.forEach((result, j) => {
        if (!result.ok) {
          onError(deliveryFailure(model.name, 1, 1, result.error), batch[sendable[j].i].value);
        }
      });
    } catch (error) {
      for (const { i } of sendable) onError(error, batch[i].value);
    }
  }

  return {
    send(value, options) {
      // Decided where send() is called: the batch is delivered outside the caller's scope.
      if (isSuppressed(model.settings.topic)) {
        return void suppressedReports(model.settings.topic, 1, options?.partition, "sent");
      }
      queued.push({ value, options });
      if (queued.length > 1) return;
      const batchDone = Promise.resolve().then(() => {
        const batch = queued;
        queued = [];
        return deliver(batch);
      });
      inFlight.add(batchDone);
      batchDone.finally(() => inFlight.delete(batchDone));
    },
    async flush() {
      while (inFlight.size > 0) await Promise.all(inFlight);
      await (await model.connection.producer()).flush();
    },
  };
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
 * Reads the model's topic in a group, yielding decoded values. A Schema
 * Registry that does not answer is waited out (see `maxRegistryWaitMs`). A
 * message that does not decode throws (with topic, partition and offset) and
 * is not committed; use a ConsumerLoop to dead-letter poison messages instead.
 */
export async function* consume<T, K>(
  model: Producible<T, K>,
  options: ConsumeOptions = {},
): AsyncGenerator<ConsumedMessage<T, K>, void, undefined> {
  await otelApi();
  const consumer = await subscribe(model, options);
  const group = groupOf(model, options);
  // Messages polled while a decode waits for the registry, handed out next.
  const pending: IncomingMessage[] = [];
  const decode = decoderWaitingForRegistry(
    model.settings.topic,
    consumer,
    () => options.maxRegistryWaitMs,
    pending,
    model.connection.logger,
  );
  try {
    while (true) {
      const batch = pending.length > 0 ? pending.splice(0) : await consumer.poll(500, 1000);
      for (const message of batch) {
        // The span lasts from the read to the caller's next step, which is its handling.
        const trace = traceMessage(message, group);
        let decoded: [T, K | null];
        try {
          decoded = await decode(message, () =>
            Promise.all([
              model.decode(message.value, message),
              model.decodeKey(message.key, message),
            ]));
        } catch (error) {
          trace.failed(error);
          trace.end({ error });
          throw error;
        }
        try {
          yield consumed(message, decoded[0], decoded[1], consumer);
          trace.handled();
        } finally {
          trace.end(true); // the caller moved on (or broke out): it is done with this one
        }
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
  const decode = decoderWaitingForRegistry(
    model.settings.topic,
    consumer,
    () => Math.min(options.maxRegistryWaitMs ?? Infinity, deadline - Date.now()),
    undefined,
    model.connection.logger,
  );
  try {
    while (Date.now() < deadline) {
      const [message] = await consumer.poll(1, Math.max(1, Math.min(1000, deadline - Date.now())));
      if (!message) continue;
      const value = await decode(message, () => model.decode(message.value, message));
      await consumer.commit([{ ...message, offset: message.offset + 1 }]);
      return value;
    }
    return undefined;
  } finally {
    await consumer.close();
  }
}
