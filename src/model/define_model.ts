/**
 * `defineModel()`: a Valibot object schema plus topic settings becomes a
 * model, whose codecs validate and write its values (and keys) in the
 * Confluent wire format. Its `produce()`, `send()`, `consume()` and
 * `ensureTopic()` are shortcuts to the clients of its connection.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { type Connection, defaultConnection } from "../config/connection.ts";
import type { TopicSpec } from "../transport/types.ts";
import { consume, consumeOne } from "./consume.ts";
import { decodesNow } from "./consumed_message.ts";
import { recordCodec } from "./avro_codec.ts";
import { keyCodec } from "./key_codec.ts";
import { subjectOf } from "./subject_of.ts";
import { encodeRecords } from "./records.ts";
import { producerOf } from "./model_producer.ts";
import { requireValibotSchema } from "./valibot_schema.ts";
import type { Model, ModelSettings, SchemaInput, SchemaOutput, ValibotSchema } from "./model.ts";

export type {
  Model,
  ModelInput,
  ModelKey,
  ModelOutput,
  ModelSettings,
  ProduceOptions,
  SchemaInput,
  SchemaOutput,
  SubjectStrategy,
  ValibotSchema,
} from "./model.ts";

/**
 * Defines a model from a Valibot object schema and its topic settings. Only
 * Valibot schemas are taken (the Avro schema is generated from them); a
 * schema of another library is a ConfigError.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineModel, type ModelOutput } from "@flowodm/flowodm";
 * const Order = defineModel("OrderEvent", v.object({
 *   order_id: v.string(),
 *   amount: v.number(),
 *   currency: v.optional(v.string(), "EUR"),
 * }), { topic: "orders", consumerGroup: "order-processor", keyField: "order_id" });
 * type Order = ModelOutput<typeof Order>; // currency: string
 * const bytes = await Order.encode({ order_id: "o-1", amount: 12.5 }); // currency defaults
 * console.log(await Order.decode(bytes));
 * ```
 */
export function defineModel<
  S extends ValibotSchema,
  KS extends ValibotSchema | undefined = undefined,
>(
  name: string,
  schema: S,
  settings: ModelSettings & { readonly keySchema?: KS },
): Model<
  SchemaOutput<S>,
  KS extends ValibotSchema ? SchemaOutput<KS> : string,
  SchemaInput<S>
> {
  if (!settings?.topic) throw new ConfigError(`model ${name} needs settings.topic`);
  requireValibotSchema(schema, `the schema of model ${name}`);
  if (settings.keySchema !== undefined) {
    requireValibotSchema(settings.keySchema, `the keySchema of model ${name}`);
  }
  type T = SchemaOutput<S>;
  type K = KS extends ValibotSchema ? SchemaOutput<KS> : string;
  type I = SchemaInput<S>;
  const subject = subjectOf(name, settings, "value");
  // Resolved on use: models are usually defined before connect() runs.
  const connection = (): Connection => settings.connection ?? defaultConnection();
  const registry = () => connection().registry();
  const { codec: values, avroSchema } = recordCodec<T>(name, schema, {
    ...settings,
    subject,
    registry,
  });
  const keys = keyCodec<T, K>(name, settings, registry);
  const parts = { model: name, topic: settings.topic, values, keys };
  const producer = () => producerOf(connection());
  const model: Model<T, K, I> = {
    name,
    schema: schema as ValibotSchema<I, T>,
    settings,
    avroSchema,
    subject,
    keyAvroSchema: keys.avroSchema,
    keySubject: keys.subject,
    get connection() {
      return connection();
    },
    parse: (input) => values.parse(input),
    encode: (value) => values.encode(value),
    encodeMany: (list) => values.encodeMany(list),
    encodeRecords: (list, options) => encodeRecords(parts, list, options),
    decode: (bytes, origin) => values.decode(bytes, origin),
    registerSchema: async () => {
      await keys.register();
      return values.schemaId();
    },
    keyOf: keys.keyOf,
    encodeKey: keys.encode,
    encodeKeys: (list) => keys.encodeMany(list),
    decodeKey: keys.decode,
    withConnection: (other) => defineModel(name, schema, { ...settings, connection: other }),
    produce: (value, options) => producer().produce(model, value, options),
    produceMany: (list, options) => producer().produceMany(model, list, options),
    tombstone: (key, options) => producer().tombstone(model, key, options),
    send: (value, options) => producer().send(model, value, options),
    flush: () => producer().flush(),
    consumeOne: (options) => consumeOne(model, options),
    consume: (options) => consume(model, options),
    ensureTopic: (spec) => ensureTopic(connection(), settings.topic, spec),
  };
  decodesNow(model, {
    valueNow: (bytes, origin) => values.decodeNow(bytes, origin),
    keyNow: keys.decodeNow,
  });
  return model;
}

/** Creates the topic unless it exists; resolves true when it created it. */
async function ensureTopic(
  connection: Connection,
  topic: string,
  spec: Omit<TopicSpec, "topic"> = {},
): Promise<boolean> {
  const admin = await (await connection.transport()).admin();
  try {
    return await admin.ensureTopic({ ...spec, topic });
  } finally {
    await admin.close();
  }
}
