/**
 * Models: a Valibot object schema plus topic settings. A model validates,
 * generates its Avro schema, registers it, and writes and reads its values in
 * the Confluent wire format.
 *
 * @module
 */
import type * as v from "valibot";
import { ConfigError, type MessageOrigin } from "../errors.ts";
import {
  type AvroSchema,
  toAvroSchema,
  toAvroSchemaWithExactLongs,
} from "../avro/to_avro_schema.ts";
import { type Connection, defaultConnection } from "../config/connection.ts";
import { AvroSerde } from "../serde/avro_serde.ts";
import { keyCodec } from "./key_codec.ts";
import { subjectOf } from "./subject_of.ts";
import type { DeliveryReport, TopicSpec } from "../transport/types.ts";
import { consume, type ConsumedMessage, consumeOne, type ConsumeOptions } from "./consume.ts";
import type { DecodedMessage } from "./consumed_message.ts";
import {
  ensureTopic,
  produce,
  produceMany,
  type ProduceOptions,
  type Producible,
  sender,
  tombstone,
} from "./kafka_operations.ts";
import type { InferSchemaOutput, StandardSchema } from "./standard_schema.ts";

/** How a model names its registry subject (Confluent's strategies). */
export type SubjectStrategy = "topic" | "record" | "topicRecord";

/** Topic and schema settings of a model. */
export interface ModelSettings {
  /** The Kafka topic its values travel on. */
  readonly topic: string;
  /** The consumer group that reads it by default. */
  readonly consumerGroup?: string;
  /** The field whose value (as UTF-8 text) becomes the message key. */
  readonly keyField?: string;
  /**
   * An Avro key instead: a Valibot object schema, written in the Confluent
   * wire format under `<topic>-key` (or the record strategies' key subject).
   * A value's key is its fields of the same names unless `{ key }` is given
   * when producing; consumed messages carry the decoded, typed key.
   */
  readonly keySchema?: StandardSchema;
  /** The key record's name; `<name>Key` by default. */
  readonly keyName?: string;
  /** Avro namespace of the generated schema. */
  readonly namespace?: string;
  /** `topic` (default): `<topic>-value`; `record`: `<namespace>.<name>`; `topicRecord`: `<topic>-<namespace>.<name>`. */
  readonly subjectStrategy?: SubjectStrategy;
  /** An explicit subject, overriding the strategy. */
  readonly schemaSubject?: string;
  /** Register the schema on first write when the subject lacks it; default true. */
  readonly autoRegister?: boolean;
  /** Write with the subject's latest registered schema. */
  readonly useLatestVersion?: boolean;
  /** Bind the model to this connection instead of the default one. */
  readonly connection?: Connection;
  /** Receives errors of fire-and-forget `send()`; they are logged to the console otherwise. */
  readonly onDeliveryError?: (error: unknown, value: unknown) => void;
}

/**
 * A model: typed values of one topic, in the Confluent wire format. `K` is
 * its key: `string` (from `keyField`) or the output of its `keySchema`.
 */
export interface Model<T, K = string> {
  /** The record name, e.g. `OrderEvent`. */
  readonly name: string;
  /** The Valibot schema. */
  readonly schema: StandardSchema<unknown, T>;
  /** The settings it was defined with. */
  readonly settings: ModelSettings;
  /** The generated Avro schema, a plain JSON object. */
  readonly avroSchema: AvroSchema;
  /** The registry subject its schema lives under. */
  readonly subject: string;
  /** The Avro schema of its key, when it has a `keySchema`. */
  readonly keyAvroSchema?: AvroSchema;
  /** The registry subject of its key schema, when it has a `keySchema`. */
  readonly keySubject?: string;
  /** Validates input: the typed value, or a ValidationError listing every issue. */
  parse(input: unknown): T;
  /** Validates and writes the value in the Confluent wire format (bytes that own their buffer). */
  encode(value: T): Promise<Uint8Array>;
  /**
   * Validates every value, then writes them all (each owning its buffer); the first invalid one
   * throws a ValidationError.
   */
  encodeMany(values: readonly T[]): Promise<Uint8Array[]>;
  /** Reads wire-format bytes into a validated value (resolving older or newer writer schemas). */
  decode(bytes: Uint8Array | null, origin?: MessageOrigin): Promise<T>;
  /** Registers the schema (and the key schema) under its subject; resolves the value schema id. */
  registerSchema(): Promise<number>;
  /** The key of a value: its `keyField` as text, or its `keySchema` fields; null without either. */
  keyOf(value: T): K | null;
  /** Key bytes: UTF-8 text, or a validated Avro key in the Confluent wire format. */
  encodeKey(key: K): Promise<Uint8Array>;
  /** Bytes of many keys at once; null keys stay null. */
  encodeKeys(keys: readonly (K | null)[]): Promise<(Uint8Array | null)[]>;
  /** Reads key bytes (null stays null); an Avro key that does not decode is a DeserializationError. */
  decodeKey(bytes: Uint8Array | null, origin?: MessageOrigin): Promise<K | null>;
  /** The connection the model uses. */
  readonly connection: Connection;
  /** The same model bound to another connection. */
  withConnection(connection: Connection): Model<T, K>;
  /** Sends one value; resolves where it landed. Invalid values are never sent. */
  produce(value: T, options?: ProduceOptions<K>): Promise<DeliveryReport>;
  /** Sends a batch (all validated first); resolves the reports in input order. */
  produceMany(values: readonly T[], options?: ProduceOptions<K>): Promise<DeliveryReport[]>;
  /** Sends a tombstone (the key, a null value): the key is deleted once the topic is compacted. */
  tombstone(key: K | Uint8Array, options?: Omit<ProduceOptions<K>, "key">): Promise<DeliveryReport>;
  /** Sends without waiting; failures go to `settings.onDeliveryError`. Await `flush()` later. */
  send(value: T, options?: ProduceOptions<K>): void;
  /** Waits until every `send()` so far has a delivery result. */
  flush(): Promise<void>;
  /** Reads one message (a value or a tombstone) in the group and commits it; undefined after the timeout. */
  consumeOne(
    options?: ConsumeOptions & { timeoutMs?: number },
  ): Promise<DecodedMessage<T, K> | undefined>;
  /** Reads messages (values and tombstones) in the group; call `msg.commit()` after handling. */
  consume(options?: ConsumeOptions): AsyncGenerator<ConsumedMessage<T, K>, void, undefined>;
  /** Creates the topic unless it exists; resolves true when it created it. */
  ensureTopic(spec?: Omit<TopicSpec, "topic">): Promise<boolean>;
}

/** The value type of a model: `type Order = ModelOutput<typeof Order>`. */
export type ModelOutput<M> = M extends Model<infer T, infer _K> ? T : never;

/**
 * The key type of a model: `string`, or the output of its `keySchema`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineModel, type ModelKey } from "@flowodm/flowodm";
 * const Shipment = defineModel("Shipment", v.object({
 *   tenant: v.string(),
 *   shipment_id: v.bigint(),
 *   weight: v.number(),
 * }), {
 *   topic: "shipments",
 *   // An Avro key under "shipments-key": its fields are taken from each value.
 *   keySchema: v.object({ tenant: v.string(), shipment_id: v.bigint() }),
 * });
 * type Key = ModelKey<typeof Shipment>; // { tenant: string; shipment_id: bigint }
 * const key: Key | null = Shipment.keyOf({ tenant: "acme", shipment_id: 7n, weight: 1.5 });
 * console.log(key, await Shipment.encodeKey(key!));
 * ```
 */
export type ModelKey<M> = M extends Model<infer _T, infer K> ? K : never;

/**
 * Defines a model from a Valibot object schema and its topic settings.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineModel, type ModelOutput } from "@flowodm/flowodm";
 * const Order = defineModel("OrderEvent", v.object({
 *   order_id: v.string(),
 *   amount: v.number(),
 * }), { topic: "orders", consumerGroup: "order-processor", keyField: "order_id" });
 * type Order = ModelOutput<typeof Order>;
 * const bytes = await Order.encode({ order_id: "o-1", amount: 12.5 });
 * console.log(await Order.decode(bytes));
 * ```
 */
export function defineModel<
  S extends StandardSchema,
  KS extends StandardSchema | undefined = undefined,
>(
  name: string,
  schema: S,
  settings: ModelSettings & { readonly keySchema?: KS },
): Model<InferSchemaOutput<S>, KS extends StandardSchema ? InferSchemaOutput<KS> : string> {
  if (!settings?.topic) throw new ConfigError(`model ${name} needs settings.topic`);
  type T = InferSchemaOutput<S>;
  type K = KS extends StandardSchema ? InferSchemaOutput<KS> : string;
  const avroSchema = toAvroSchema(schema, { name, namespace: settings.namespace });
  const subject = subjectOf(name, settings, "value");
  // Resolved on use: models are usually defined before connect() runs.
  const connection = () => settings.connection ?? defaultConnection();
  const registry = () => connection().registry();
  const serde = new AvroSerde({
    name,
    schema: schema as unknown as v.GenericSchema,
    avroSchema,
    compiledSchema: toAvroSchemaWithExactLongs(schema, { name, namespace: settings.namespace }),
    subject,
    registry,
  }, settings);
  const keys = keyCodec<T, K>(name, settings, registry);
  const model: Model<T, K> = {
    name,
    schema: schema as StandardSchema<unknown, T>,
    settings,
    avroSchema,
    subject,
    keyAvroSchema: keys.avroSchema,
    keySubject: keys.subject,
    get connection() {
      return connection();
    },
    parse: (input) => serde.validate(input) as T,
    encode: (value) => serde.encode(value),
    encodeMany: (values) => serde.encodeMany(values),
    decode: (bytes, origin) => serde.decode(bytes, origin) as Promise<T>,
    registerSchema: async () => {
      await keys.register();
      return serde.schemaId();
    },
    keyOf: keys.keyOf,
    encodeKey: keys.encode,
    encodeKeys: keys.encodeMany,
    decodeKey: keys.decode,
    withConnection: (other) =>
      defineModel(name, schema, { ...settings, connection: other }) as unknown as Model<T, K>,
    produce: (value, options) => produce(kafka, value, options),
    produceMany: (values, options) => produceMany(kafka, values, options),
    tombstone: (key, options) => tombstone(kafka, key, options),
    send: (value, options) => sending.send(value, options),
    flush: () => sending.flush(),
    consumeOne: (options) => consumeOne(kafka, options),
    consume: (options) => consume(kafka, options),
    ensureTopic: (spec) => ensureTopic(kafka, spec),
  };
  // What the Kafka operations see: the model, except that produced bytes stay in
  // the serde's shared slabs (the transport copies them) instead of each owning one.
  const kafka: Producible<T, K> = {
    name,
    settings,
    get connection() {
      return connection();
    },
    encodeMany: (values) => serde.encodeMany(values, true),
    decode: model.decode,
    keyOf: keys.keyOf,
    encodeKeys: (list) => keys.encodeMany(list, true),
    decodeKey: keys.decode,
  };
  const sending = sender(kafka, (error, value) => {
    if (settings.onDeliveryError) settings.onDeliveryError(error, value);
    else console.error(`${name}: a sent message was not delivered:`, error);
  });
  return model;
}
