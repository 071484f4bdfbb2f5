/**
 * A model's message keys: UTF-8 text from `keyField`, or an Avro record from
 * `keySchema` written in the Confluent wire format under its own subject.
 */
import { ConfigError, DeserializationError, type MessageOrigin } from "../errors.ts";
import type { AvroSchema } from "../avro/to_avro_schema.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { ModelSettings } from "./model.ts";
import { recordCodec } from "./avro_codec.ts";
import { subjectOf } from "./subject_of.ts";
import { textKeyBytes } from "./text_key_bytes.ts";

/** How a model derives, writes and reads its keys. */
export interface KeyCodec<T, K> {
  readonly avroSchema?: AvroSchema;
  readonly subject?: string;
  keyOf(value: T): K | null;
  encode(key: K): Promise<Uint8Array>;
  /**
   * Many keys at once (null stays null); the first invalid key throws. With
   * `inPlace`, keys may be views into shared buffers (the produce path).
   */
  encodeMany(keys: readonly (K | null)[], inPlace?: boolean): Promise<(Uint8Array | null)[]>;
  decode(bytes: Uint8Array | null, origin?: MessageOrigin): Promise<K | null>;
  /** {@link decode} without a wait, or undefined when a key schema must be fetched first. */
  decodeNow(bytes: Uint8Array | null, origin?: MessageOrigin): K | null | undefined;
  /** Registers the key schema, when there is one. */
  register(): Promise<void>;
}

const encoder = new TextEncoder();
// Keys are whatever producers wrote: never throw on bytes that are not UTF-8.
const decoder = new TextDecoder();

/** The key codec of a model's settings. */
export function keyCodec<T, K>(
  modelName: string,
  settings: ModelSettings,
  registry: () => SchemaRegistry,
): KeyCodec<T, K> {
  if (settings.keySchema === undefined) return textKeys<T, K>(settings.keyField);
  if (settings.keyField !== undefined) {
    throw new ConfigError(
      `model ${modelName} sets both keyField and keySchema: keep keyField for text keys or keySchema for Avro keys`,
    );
  }
  return avroKeys<T, K>(modelName, settings, registry);
}

function textKeys<T, K>(keyField: string | undefined): KeyCodec<T, K> {
  return {
    keyOf: (value) => {
      if (!keyField) return null;
      const key = (value as Record<string, unknown>)[keyField];
      return (key === undefined || key === null ? null : String(key)) as K | null;
    },
    encode: (key) => Promise.resolve(encoder.encode(String(key))),
    encodeMany: (keys, inPlace) => {
      const texts = keys.map((key) => key === null ? null : String(key));
      return Promise.resolve(
        inPlace
          ? textKeyBytes(texts)
          : texts.map((key) => key === null ? null : encoder.encode(key)),
      );
    },
    decode: (bytes) => Promise.resolve(bytes === null ? null : decoder.decode(bytes) as K),
    decodeNow: (bytes) => bytes === null ? null : decoder.decode(bytes) as K,
    register: () => Promise.resolve(),
  };
}

function avroKeys<T, K>(
  modelName: string,
  settings: ModelSettings,
  registry: () => SchemaRegistry,
): KeyCodec<T, K> {
  const name = settings.keyName ?? `${modelName}Key`;
  const schema = settings.keySchema!;
  const subject = subjectOf(name, settings, "key");
  const { codec, avroSchema } = recordCodec<K>(name, schema as never, {
    ...settings,
    subject,
    registry,
  });
  // The codec accepted it, so it is an object schema with entries.
  const fields = Object.keys((schema as unknown as { entries: object }).entries);
  const keyError = (error: unknown, origin?: MessageOrigin): unknown =>
    error instanceof DeserializationError
      ? new DeserializationError(`the key of ${modelName}: ${error.message}`, {
        ...origin,
        schemaId: error.schemaId,
        cause: error,
      })
      : error;
  return {
    avroSchema,
    subject,
    keyOf: (value) => {
      const source = value as Record<string, unknown>;
      return Object.fromEntries(fields.map((field) => [field, source[field]])) as K;
    },
    encode: (key) => codec.encode(key),
    encodeMany: async (keys, inPlace) => {
      const present = keys.filter((key) => key !== null);
      const encoded = await codec.encodeMany(present, inPlace);
      let next = 0;
      return keys.map((key) => key === null ? null : encoded[next++]);
    },
    decode: async (bytes, origin) => {
      if (bytes === null) return null;
      try {
        return await codec.decode(bytes, origin);
      } catch (error) {
        throw keyError(error, origin);
      }
    },
    decodeNow: (bytes, origin) => {
      if (bytes === null) return null;
      try {
        return codec.decodeNow(bytes, origin);
      } catch (error) {
        throw keyError(error, origin);
      }
    },
    register: async () => {
      await codec.schemaId();
    },
  };
}
