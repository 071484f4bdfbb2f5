/**
 * Consuming a model's topic: an async iterator of consumed messages whose
 * positions are committed cheaply (see OffsetCommitter), and `consumeOne`.
 * Both decode records with `decodeMessage`, as the loops do.
 */
import { otelApi } from "../telemetry/api.ts";
import { traceMessage } from "../telemetry/tracing.ts";
import type { IncomingMessage } from "../transport/types.ts";
import { type DecodedMessage, decodeMessage, decodeMessageNow } from "./consumed_message.ts";
import { decoderWaitingForRegistry } from "./decode_waiting.ts";
import type { Model } from "./model.ts";
import { type ConsumeOptions, groupOf, subscribe } from "./subscription.ts";
import { type CommitOptions, OffsetCommitter } from "./offset_committer.ts";
import { undecodable } from "./undecodable.ts";
import { ownedMessage } from "../transport/common/owned_message.ts";

export type { ConsumeOptions } from "./subscription.ts";

/**
 * A message of `Model.consume()`: a decoded value or a tombstone (see
 * `DecodedMessage`), and `commit()`. `K` is the model's key type.
 *
 * @example
 * ```ts
 * for await (const msg of Order.consume({ fromBeginning: true })) {
 *   if (msg.tombstone) console.log("deleted", msg.key);
 *   else console.log(msg.value.order_id, msg.schemaId);
 *   await msg.commit();
 * }
 * ```
 */
export type ConsumedMessage<T, K = string> = DecodedMessage<T, K> & {
  /**
   * Marks this message handled (at-least-once: call after handling). Its
   * position is stored and committed in the background, at the interval, on a
   * rebalance and when the iteration ends; `{ sync: true }` commits it (and
   * every position stored before) now and resolves once the broker confirmed.
   */
  commit(options?: CommitOptions): Promise<void>;
};

/**
 * Reads the model's topic in a group, yielding decoded values and
 * tombstones. A Schema Registry that does not answer is waited out (see
 * `maxRegistryWaitMs`). A record that does not decode is handled as
 * `onUndecodable` says: by default it throws (with topic, partition and
 * offset), which ends the iteration; it is not committed (the positions
 * stored before it are), so the group reads it again next time.
 */
export async function* consume<T, K>(
  model: Model<T, K>,
  options: ConsumeOptions = {},
): AsyncGenerator<ConsumedMessage<T, K>, void, undefined> {
  await otelApi();
  const group = groupOf(model, options);
  // Decoding copies what it keeps, and undecodable records are copied before a callback sees them.
  const consumer = await subscribe(model, options, true);
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
        let decoded: DecodedMessage<T, K>;
        try {
          decoded = decodeMessageNow(model, message) ??
            await decode(message, () => decodeMessage(model, message));
        } catch (error) {
          trace.failed(error);
          trace.end({ error });
          await undecodable(
            error,
            ownedMessage(message),
            options.onUndecodable,
            model.connection.logger,
          );
          continue;
        } finally {
          consumer.release?.(message); // decoded or copied: its bytes are read no more
        }
        const consumed = withCommit(decoded, committer);
        try {
          yield consumed;
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

/**
 * The decoded message itself with its `commit()`, not a copy: Node 20's V8 took about 1.7 µs to
 * spread one into a new object, a tenth of an iteration step. The closure holds the message, not
 * the record, so a kept message keeps no shared record bytes alive.
 */
function withCommit<T, K>(
  decoded: DecodedMessage<T, K>,
  committer: OffsetCommitter,
): ConsumedMessage<T, K> {
  const message = decoded as ConsumedMessage<T, K>;
  (message as { commit: ConsumedMessage<T, K>["commit"] }).commit = (options) =>
    committer.commit({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset + 1,
    }, options);
  return message;
}

/**
 * Reads one message in the group and commits it, or resolves undefined
 * after `timeoutMs`. Undecodable records are handled as `onUndecodable` says.
 */
export async function consumeOne<T, K>(
  model: Model<T, K>,
  options: ConsumeOptions & { timeoutMs?: number } = {},
): Promise<DecodedMessage<T, K> | undefined> {
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
      let decoded: DecodedMessage<T, K>;
      try {
        decoded = decodeMessageNow(model, message) ??
          await decode(message, () => decodeMessage(model, message));
      } catch (error) {
        await undecodable(error, message, options.onUndecodable, model.connection.logger);
        continue;
      }
      await consumer.commit([{ ...message, offset: message.offset + 1 }]);
      return decoded;
    }
    return undefined;
  } finally {
    await consumer.close();
  }
}
