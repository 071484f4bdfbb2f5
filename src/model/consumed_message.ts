/**
 * The one shape of a consumed message, and the one step that makes it from
 * a record: `Model.consume()`, `Model.consumeOne()` and the loops' handlers
 * all see what `decodeMessage` returns.
 *
 * @module
 */
import { DeserializationError, type MessageOrigin } from "../errors.ts";
import type { IncomingMessage, KafkaHeader } from "../transport/types.ts";

/**
 * The key a consumer sees for a model whose key type is `K`: a key model's
 * (`keySchema`) key is always there (a record without one is undecodable),
 * and a text key (`keyField`, or no key setting) may be absent.
 *
 * @example
 * ```ts
 * type A = ConsumedKey<string>; // string | null
 * type B = ConsumedKey<{ tenant: string }>; // { tenant: string }
 * ```
 */
export type ConsumedKey<K> = [K] extends [string] ? K | null : K;

/**
 * What every consumed message carries besides its value.
 *
 * @example
 * ```ts
 * const at = (msg: MessageFields<string>) => `${msg.key}@${msg.topic}[${msg.partition}]${msg.offset}`;
 * ```
 */
export interface MessageFields<K> {
  /** The decoded key; see {@link ConsumedKey}. */
  readonly key: ConsumedKey<K>;
  /** The headers in order, repeated names kept, values as bytes (see `headerText`). */
  readonly headers: readonly KafkaHeader[];
  /** The topic it was read from. */
  readonly topic: string;
  /** Its partition. */
  readonly partition: number;
  /** Its offset. */
  readonly offset: number;
  /** The record timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

/**
 * A consumed value (`tombstone: false`).
 *
 * @example
 * ```ts
 * const total = (msg: DecodedValue<{ amount: number }>) => msg.value.amount;
 * ```
 */
export interface DecodedValue<T, K = string> extends MessageFields<K> {
  /** False: the record has a value. */
  readonly tombstone: false;
  /** The decoded, validated value. */
  readonly value: T;
  /** The registry id of the schema it was written with; undefined when not in the wire format. */
  readonly schemaId: number | undefined;
}

/**
 * A consumed tombstone: a key with a null value (a deletion on a compacted topic).
 *
 * @example
 * ```ts
 * const evict = (msg: DecodedTombstone<string>) => cache.delete(msg.key!);
 * ```
 */
export interface DecodedTombstone<K = string> extends MessageFields<K> {
  /** True: the record has no value. */
  readonly tombstone: true;
  /** Always null. */
  readonly value: null;
  /** Always undefined: a tombstone has no writer schema. */
  readonly schemaId: undefined;
}

/**
 * A consumed message: a decoded value or a tombstone (check `tombstone` or
 * `value === null`), with its typed key, headers and coordinates.
 *
 * @example
 * ```ts
 * import { headerText, type DecodedMessage } from "@flowodm/flowodm";
 * function describe(msg: DecodedMessage<{ id: string }>): string {
 *   const source = headerText(msg.headers, "source") ?? "?";
 *   return msg.tombstone
 *     ? `${msg.key} deleted (from ${source})`
 *     : `${msg.value.id} @${msg.partition}/${msg.offset}, schema ${msg.schemaId}`;
 * }
 * ```
 */
export type DecodedMessage<T, K = string> = DecodedValue<T, K> | DecodedTombstone<K>;

/** What decoding a record needs from a model (every `defineModel()` model has it). */
export interface MessageDecoder<T, K> {
  /** The model's settings: a `keySchema` makes keys required. */
  readonly settings: { readonly topic: string; readonly keySchema?: unknown };
  /** Decodes a value; DeserializationError or ValidationError marks an undecodable one. */
  decode(bytes: Uint8Array | null, origin: MessageOrigin): Promise<T>;
  /** Decodes key bytes; without it keys are read as UTF-8 text. */
  decodeKey?(bytes: Uint8Array | null, origin: MessageOrigin): Promise<K | null>;
}

// Keys are whatever producers wrote: never throw on bytes that are not UTF-8.
const text = new TextDecoder();

/** The schema id of wire-format bytes (magic byte 0, a 4-byte id), else undefined. */
function writerSchemaId(bytes: Uint8Array): number | undefined {
  if (bytes.length < 5 || bytes[0] !== 0) return undefined;
  return ((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]) >>> 0;
}

/**
 * Decoding without a wait, for models that can: every `defineModel()` model.
 * Kept beside the model rather than on it, so the public `Model` stays as it is.
 */
export interface ReadyDecoder<T, K> {
  /** The value, or undefined while its writer's schema is not fetched yet; throws as `decode`. */
  valueNow(bytes: Uint8Array, origin: MessageOrigin): T | undefined;
  /** The key (null without bytes), or undefined while a key schema is not fetched yet. */
  keyNow(bytes: Uint8Array | null, origin: MessageOrigin): K | null | undefined;
}

const readyDecoders = new WeakMap<object, ReadyDecoder<unknown, unknown>>();

/** Lets {@link decodeMessageNow} decode `model`'s records without a wait. */
export function decodesNow<T, K>(model: MessageDecoder<T, K>, decoder: ReadyDecoder<T, K>): void {
  readyDecoders.set(model, decoder as ReadyDecoder<unknown, unknown>);
}

/**
 * Decodes a record into the consumed-message shape: its value (unless it is
 * a tombstone) and its key. Throws DeserializationError or ValidationError
 * for a record that cannot be decoded (a key model's record without a key
 * is one), and RegistryError when the registry fails.
 */
export function decodeMessage<T, K>(
  model: MessageDecoder<T, K>,
  message: IncomingMessage,
): Promise<DecodedMessage<T, K>> {
  try {
    const now = decodeMessageNow(model, message);
    if (now) return Promise.resolve(now);
  } catch (error) {
    return Promise.reject(error);
  }
  return decodeWaiting(model, message);
}

/**
 * {@link decodeMessage} without a wait: undefined when a schema must be
 * fetched first (or the model cannot decode without a promise). Most
 * records of a running consumer, and no promise per record.
 */
export function decodeMessageNow<T, K>(
  model: MessageDecoder<T, K>,
  message: IncomingMessage,
): DecodedMessage<T, K> | undefined {
  const ready = readyDecoders.get(model) as ReadyDecoder<T, K> | undefined;
  if (!ready) return undefined;
  const origin = originOf(model, message);
  const value = message.value === null ? null : ready.valueNow(message.value, origin);
  if (value === undefined) return undefined;
  const key = ready.keyNow(message.key, origin);
  return key === undefined ? undefined : consumed(message, key, value);
}

async function decodeWaiting<T, K>(
  model: MessageDecoder<T, K>,
  message: IncomingMessage,
): Promise<DecodedMessage<T, K>> {
  const origin = originOf(model, message);
  // One after the other: both are ready at once unless a schema is fetched, and an array
  // and Promise.all per message cost more than the wait they could overlap.
  const value = message.value === null ? null : await model.decode(message.value, origin);
  const key = model.decodeKey
    ? await model.decodeKey(message.key, origin)
    : message.key === null
    ? null
    : text.decode(message.key);
  return consumed(message, key, value);
}

/** The record's coordinates; throws for a key model's record without a key. */
function originOf(
  model: MessageDecoder<unknown, unknown>,
  message: IncomingMessage,
): MessageOrigin {
  const origin = { topic: message.topic, partition: message.partition, offset: message.offset };
  if (message.key === null && model.settings.keySchema !== undefined && model.decodeKey) {
    throw new DeserializationError(
      `the record has no key, but the model of ${model.settings.topic} has a keySchema`,
      origin,
    );
  }
  return origin;
}

function consumed<T, K>(
  message: IncomingMessage,
  key: unknown,
  value: T | null,
): DecodedMessage<T, K> {
  const tombstone = message.value === null;
  return {
    key: key as ConsumedKey<K>,
    headers: message.headers,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    tombstone,
    value,
    schemaId: tombstone ? undefined : writerSchemaId(message.value!),
  } as DecodedMessage<T, K>;
}
