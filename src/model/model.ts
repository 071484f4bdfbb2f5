/**
 * What a model is: a Valibot object schema plus topic settings, with the
 * codecs that validate and write its values (and keys) in the Confluent wire
 * format. Sending and reading are done by clients (`ModelProducer`, the
 * consume iterator, the loops); the model's `produce()`, `consume()` and
 * friends are shortcuts to them over the model's connection.
 *
 * @module
 */
import type { MessageOrigin } from "../errors.ts";
import type { AvroSchema } from "../avro/to_avro_schema.ts";
import type { Connection } from "../config/connection.ts";
import type { DeliveryReport, OutgoingMessage, TopicSpec } from "../transport/types.ts";
import type { ConsumedMessage, ConsumeOptions } from "./consume.ts";
import type { DecodedMessage } from "./consumed_message.ts";

/**
 * A Valibot schema as models take it: `I` is what it takes, `T` what it
 * gives. Valibot's schema objects satisfy it (they are marked
 * `kind: "schema"` and run through `~run`); other Standard Schema libraries'
 * (Zod, ArkType, ...) do not, since the Avro schema is generated from
 * Valibot's own schema objects, and are refused at run time too, with a
 * ConfigError. A model's schema (and `keySchema`) is an object schema
 * (`v.object`, `v.strictObject`, `v.looseObject`, also inside `v.pipe`);
 * another Valibot schema is a SchemaError when the model is defined.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { ValibotSchema } from "@flowodm/flowodm";
 * const id: ValibotSchema<string> = v.pipe(v.string(), v.uuid());
 * console.log(id.kind, id.type); // schema string
 * ```
 */
export interface ValibotSchema<I = unknown, T = I> {
  /** Valibot marks schemas (not actions) so. */
  readonly kind: "schema";
  /** The schema's type, e.g. `object`, `string`. */
  readonly type: string;
  /** Valibot's validation entry point. */
  readonly "~run": (dataset: never, config: never) => unknown;
  /** The Standard Schema properties; their vendor is `valibot`. */
  readonly "~standard": {
    /** The library: `valibot`. */
    readonly vendor: string;
    /** Phantom types for inference. */
    readonly types?: { readonly input: I; readonly output: T } | undefined;
  };
}

/**
 * What a Valibot schema takes (`v.InferInput`): fields with defaults may be absent.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { SchemaInput } from "@flowodm/flowodm";
 * const Order = v.object({ id: v.string(), qty: v.optional(v.number(), 1) });
 * const draft: SchemaInput<typeof Order> = { id: "o-1" };
 * console.log(draft);
 * ```
 */
export type SchemaInput<S extends ValibotSchema> = NonNullable<S["~standard"]["types"]>["input"];

/**
 * What a Valibot schema gives (`v.InferOutput`): defaults filled in.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { SchemaOutput } from "@flowodm/flowodm";
 * const Order = v.object({ id: v.string(), qty: v.optional(v.number(), 1) });
 * const order: SchemaOutput<typeof Order> = { id: "o-1", qty: 1 };
 * console.log(order);
 * ```
 */
export type SchemaOutput<S extends ValibotSchema> = NonNullable<S["~standard"]["types"]>["output"];

/** How a model names its registry subject (Confluent's strategies). */
export type SubjectStrategy = "topic" | "record" | "topicRecord";

/** Options of one produced value; `K` is the model's key type. */
export interface ProduceOptions<K = string> {
  /** The key (raw bytes are sent as they are); the value's own key by default. */
  readonly key?: K | Uint8Array | null;
  /** Headers to add; strings are UTF-8 encoded. */
  readonly headers?: Readonly<Record<string, string | Uint8Array>>;
  /** An explicit partition; otherwise the key decides. */
  readonly partition?: number;
}

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
  readonly keySchema?: ValibotSchema;
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
 * A model: typed values of one topic, in the Confluent wire format. `T` is
 * the value as read (the schema's output), `K` its key (`string` from
 * `keyField`, or the output of its `keySchema`), `I` the value as written
 * (the schema's input: fields with defaults may be left out).
 */
export interface Model<T, K = string, I = T> {
  /** The record name, e.g. `OrderEvent`. */
  readonly name: string;
  /** The Valibot schema. */
  readonly schema: ValibotSchema<I, T>;
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
  encode(value: I): Promise<Uint8Array>;
  /**
   * Validates every value, then writes them all (each owning its buffer); the first invalid one
   * throws a ValidationError.
   */
  encodeMany(values: readonly I[]): Promise<Uint8Array[]>;
  /**
   * Validates every value, then writes each with its key and headers as a
   * Kafka record of the model's topic; nothing is sent. The first invalid
   * value throws a ValidationError naming its index. Record bytes may share
   * buffers with other records: hand them to a producer and drop them.
   */
  encodeRecords(
    values: readonly I[],
    options?: ProduceOptions<K> | ((index: number) => ProduceOptions<K> | undefined),
  ): Promise<OutgoingMessage[]>;
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
  withConnection(connection: Connection): Model<T, K, I>;
  /** Sends one value; resolves where it landed. Invalid values are never sent. */
  produce(value: I, options?: ProduceOptions<K>): Promise<DeliveryReport>;
  /** Sends a batch (all validated first); resolves the reports in input order. */
  produceMany(values: readonly I[], options?: ProduceOptions<K>): Promise<DeliveryReport[]>;
  /** Sends a tombstone (the key, a null value): the key is deleted once the topic is compacted. */
  tombstone(key: K | Uint8Array, options?: Omit<ProduceOptions<K>, "key">): Promise<DeliveryReport>;
  /** Sends without waiting; failures go to `settings.onDeliveryError`. Await `flush()` later. */
  send(value: I, options?: ProduceOptions<K>): void;
  /**
   * Waits until every `send()` so far through the model's connection (of any
   * model: they share its producer) has a delivery result.
   */
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

/**
 * The value type of a model, as read: `type Order = ModelOutput<typeof Order>`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineModel, type ModelOutput } from "@flowodm/flowodm";
 * const Order = defineModel("Order", v.object({ id: v.string(), qty: v.optional(v.number(), 1) }), {
 *   topic: "orders",
 * });
 * const order: ModelOutput<typeof Order> = { id: "o-1", qty: 1 }; // qty is always there
 * console.log(order);
 * ```
 */
export type ModelOutput<M> = M extends Model<infer T, infer _K, infer _I> ? T : never;

/**
 * The value type a model's `produce()`, `produceMany()`, `send()` and
 * `encode()` take: the schema's input, so fields with defaults may be left out.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineModel, type ModelInput } from "@flowodm/flowodm";
 * const Order = defineModel("Order", v.object({ id: v.string(), qty: v.optional(v.number(), 1) }), {
 *   topic: "orders",
 * });
 * const draft: ModelInput<typeof Order> = { id: "o-1" }; // qty defaults to 1
 * console.log(await Order.encode(draft));
 * ```
 */
export type ModelInput<M> = M extends Model<infer _T, infer _K, infer I> ? I : never;

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
export type ModelKey<M> = M extends Model<infer _T, infer K, infer _I> ? K : never;
