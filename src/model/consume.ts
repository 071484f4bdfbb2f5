/**
 * Consuming a model's topic: an async iterator of decoded values whose
 * positions are committed cheaply (see OffsetCommitter), and `consumeOne`.
 */
import { otelApi } from "../telemetry/api.ts";
import { traceMessage } from "../telemetry/tracing.ts";
import type { IncomingMessage } from "../transport/types.ts";
import { decoderWaitingForRegistry } from "./decode_waiting.ts";
import type { Model } from "./model.ts";
import { type ConsumeOptions, groupOf, subscribe } from "./subscription.ts";
import { type CommitOptions, OffsetCommitter } from "./offset_committer.ts";

const decoder = new TextDecoder();

export type { ConsumeOptions } from "./subscription.ts";

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
  /**
   * Marks this message handled (at-least-once: call after handling). Its
   * position is stored and committed in the background, at the interval, on a
   * rebalance and when the iteration ends; `{ sync: true }` commits it (and
   * every position stored before) now and resolves once the broker confirmed.
   */
  commit(options?: CommitOptions): Promise<void>;
}

function consumed<T, K>(
  message: IncomingMessage,
  value: T,
  key: K | null,
  committer: OffsetCommitter,
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
    commit: (options?: CommitOptions) =>
      committer.commit({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset + 1,
      }, options),
  };
}

/**
 * Reads the model's topic in a group, yielding decoded values. A Schema
 * Registry that does not answer is waited out (see `maxRegistryWaitMs`). A
 * message that does not decode throws (with topic, partition and offset),
 * which ends the iteration: it is not committed (the positions stored before
 * it are), so the group reads it again next time. A ConsumerLoop
 * dead-letters such messages and goes on.
 */
export async function* consume<T, K>(
  model: Model<T, K>,
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
  const committer = new OffsetCommitter(consumer, options.commitIntervalMs);
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
          yield consumed(message, decoded[0], decoded[1], committer);
          trace.handled();
        } finally {
          trace.end(true); // the caller moved on (or broke out): it is done with this one
        }
      }
    }
  } finally {
    try {
      await committer.close();
    } finally {
      await consumer.close();
    }
  }
}

/** Reads one value in the group and commits it, or resolves undefined after `timeoutMs`. */
export async function consumeOne<T, K>(
  model: Model<T, K>,
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
