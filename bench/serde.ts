/**
 * Serde micro-benchmark, no broker: encode (with each library's own checks)
 * and decode of one record shape (`--shape`: order, wide or nested; see
 * bench/shapes.ts), the schema id already cached, awaited one at a time as an
 * application does. `--client`:
 *
 *   flowodm       Model.encode (Valibot validation + Avro) and Model.decode (Avro + validation)
 *   confluent-sr  @confluentinc/schemaregistry AvroSerializer / AvroDeserializer (Node)
 *   kafkajs-sr    @kafkajs/confluent-schema-registry encode / decode
 *
 * `--messages` is the number of operations per direction.
 */
import { Buffer } from "node:buffer";
import { connect } from "../mod.ts";
import {
  args,
  bootstrapServers,
  messageCount,
  rate,
  registryUrl,
  report,
  uniqueName,
} from "./common.ts";
import { poolSize } from "./record.ts";
import { shape, type ShapeName, shapeNames } from "./shapes.ts";

type Codec = {
  encode(i: number): Promise<unknown>;
  decode(i: number): Promise<unknown>;
};

connect({ bootstrapServers, schemaRegistryUrl: registryUrl });
// A topic name only names the subject: nothing is produced.
const topic = uniqueName("bench-serde");
if (!shapeNames.includes(args.shape as ShapeName)) throw new Error(`unknown --shape ${args.shape}`);
const { model: modelOf, values, plain } = shape(args.shape as ShapeName);
const model = modelOf(topic);
await model.registerSchema();
const wire = await Promise.all(values.map(async (o) => Buffer.from(await model.encode(o))));

function flowodm(): Promise<Codec> {
  return Promise.resolve({
    encode: (i) => model.encode(values[i % poolSize]),
    decode: (i) => model.decode(wire[i % poolSize]),
  });
}

async function confluentSchemaRegistry(): Promise<Codec> {
  const sr = await import("@confluentinc/schemaregistry");
  const registry = new sr.SchemaRegistryClient({ baseURLs: [registryUrl] });
  const serializer = new sr.AvroSerializer(registry, sr.SerdeType.VALUE, {
    useLatestVersion: true,
  });
  const deserializer = new sr.AvroDeserializer(registry, sr.SerdeType.VALUE, {});
  return {
    encode: (i) => serializer.serialize(topic, plain[i % poolSize]),
    decode: (i) => deserializer.deserialize(topic, wire[i % poolSize]),
  };
}

async function kafkajsSchemaRegistry(): Promise<Codec> {
  const { SchemaRegistry } = await import("@kafkajs/confluent-schema-registry");
  const registry = new SchemaRegistry({ host: registryUrl });
  const id = await registry.getLatestSchemaId(`${topic}-value`);
  return {
    encode: (i) => registry.encode(id, plain[i % poolSize]),
    decode: (i) => registry.decode(wire[i % poolSize]),
  };
}

const clients: Record<string, () => Promise<Codec>> = {
  flowodm,
  "confluent-sr": confluentSchemaRegistry,
  "kafkajs-sr": kafkajsSchemaRegistry,
};
const client = args.client;
if (!clients[client]) throw new Error(`unknown --client ${client}`);
const codec = await clients[client]();

async function opsPerSec(run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5_000, messageCount); i++) await run(i); // warm-up: JIT, caches
  const start = performance.now();
  for (let i = 0; i < messageCount; i++) await run(i);
  return rate(messageCount, start, performance.now());
}

const encodeOpsPerSec = await opsPerSec(codec.encode);
const decodeOpsPerSec = await opsPerSec(codec.decode);
report({
  scenario: "serde",
  client,
  shape: args.shape,
  bytes: wire[0].length,
  ops: messageCount,
  encodeOpsPerSec,
  decodeOpsPerSec,
});
