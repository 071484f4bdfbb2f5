/**
 * Produce throughput: `--messages` records of ~1 KiB to a fresh topic,
 * acks=all and idempotent, timed from the first send until every record is
 * acknowledged. `--client` picks the library:
 *
 *   flowodm-many  this library's produceMany, batches of 10 000, 4 in flight
 *   flowodm-send  this library's fire-and-forget send() then flush()
 *   raw           @confluentinc/kafka-javascript with pre-encoded bytes (Node)
 *   raw-encode    the raw client, each record encoded first by this library's Model.encode
 *                 (Node): the raw client doing this library's work, the most produce could reach
 *   confluent-sr  @confluentinc/schemaregistry AvroSerializer + the raw client (Node)
 *   platformatic  @platformatic/kafka + @kafkajs/confluent-schema-registry (Node)
 *   kafkajs       kafkajs + @kafkajs/confluent-schema-registry (Node)
 */
import { Buffer } from "node:buffer";
import { close } from "../mod.ts";
import {
  args,
  benchConnection,
  bootstrapServers,
  dropTopic,
  freshTopic,
  messageCount,
  polyfillWithResolvers,
  rate,
  registryUrl,
  report,
} from "./common.ts";
import { orderModel, orders, plainOrder, poolSize } from "./record.ts";
import { rawProducer } from "./raw_client.ts";

const client = args.client;
const topic = await freshTopic(`bench-produce-${client}`);
benchConnection();
const model = orderModel(topic);
const schemaId = await model.registerSchema();
const keys = orders.map((o) => Buffer.from(o.order_id));

/** Runs the timed part; its rate in messages per second. */
async function timed(body: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await body();
  return rate(messageCount, start, performance.now());
}

async function flowodmMany(): Promise<number> {
  const batch = 10_000;
  const window = 4;
  return await timed(async () => {
    const inFlight = new Set<Promise<unknown>>();
    for (let sent = 0; sent < messageCount; sent += batch) {
      const values = Array.from(
        { length: Math.min(batch, messageCount - sent) },
        (_, i) => orders[(sent + i) % poolSize],
      );
      const done: Promise<unknown> = model.produceMany(values).then(() => inFlight.delete(done));
      inFlight.add(done);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  });
}

async function flowodmSend(): Promise<number> {
  const failures: unknown[] = [];
  const sending = orderModel(topic, { onDeliveryError: (error) => failures.push(error) });
  const result = await timed(async () => {
    for (let i = 0; i < messageCount; i++) sending.send(orders[i % poolSize]);
    await sending.flush();
  });
  if (failures.length > 0) throw new Error(`${failures.length} sends failed`);
  return result;
}

async function raw(): Promise<number> {
  const encoded = await Promise.all(orders.map(async (o) => Buffer.from(await model.encode(o))));
  const producer = await rawProducer();
  const result = await timed(async () => {
    for (let i = 0; i < messageCount; i++) {
      await producer.produce(topic, keys[i % poolSize], encoded[i % poolSize]);
    }
    await producer.delivered(messageCount);
  });
  await producer.close();
  return result;
}

async function rawEncode(): Promise<number> {
  const producer = await rawProducer();
  const result = await timed(async () => {
    for (let i = 0; i < messageCount; i++) {
      const value = await model.encode(orders[i % poolSize]);
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      await producer.produce(topic, keys[i % poolSize], bytes);
    }
    await producer.delivered(messageCount);
  });
  await producer.close();
  return result;
}

async function confluentSchemaRegistry(): Promise<number> {
  const sr = await import("@confluentinc/schemaregistry");
  const registry = new sr.SchemaRegistryClient({ baseURLs: [registryUrl] });
  const serializer = new sr.AvroSerializer(registry, sr.SerdeType.VALUE, {
    useLatestVersion: true,
  });
  const values = orders.map((_, i) => plainOrder(i));
  await serializer.serialize(topic, values[0]); // schema cached before timing, as for us
  const producer = await rawProducer();
  const result = await timed(async () => {
    for (let i = 0; i < messageCount; i++) {
      const value = await serializer.serialize(topic, values[i % poolSize]);
      await producer.produce(topic, keys[i % poolSize], value);
    }
    await producer.delivered(messageCount);
  });
  await producer.close();
  return result;
}

async function kafkajsRegistry() {
  const { SchemaRegistry } = await import("@kafkajs/confluent-schema-registry");
  const registry = new SchemaRegistry({ host: registryUrl });
  const values = orders.map((_, i) => plainOrder(i));
  await registry.encode(schemaId, values[0]);
  return (i: number) => registry.encode(schemaId, values[i % poolSize]);
}

async function platformatic(): Promise<number> {
  polyfillWithResolvers();
  const { Producer, ProduceAcks } = await import("@platformatic/kafka");
  const encode = await kafkajsRegistry();
  const producer = new Producer({
    clientId: "bench",
    bootstrapBrokers: bootstrapServers.split(","),
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });
  const batch = 1_000;
  const result = await timed(async () => {
    for (let sent = 0; sent < messageCount; sent += batch) {
      const count = Math.min(batch, messageCount - sent);
      const messages = await Promise.all(Array.from({ length: count }, async (_, i) => ({
        topic,
        key: keys[(sent + i) % poolSize],
        value: await encode(sent + i),
      })));
      await producer.send({ messages });
    }
  });
  await producer.close();
  return result;
}

async function kafkajs(): Promise<number> {
  const { Kafka, logLevel } = await import("kafkajs");
  const encode = await kafkajsRegistry();
  const kafka = new Kafka({
    clientId: "bench",
    brokers: bootstrapServers.split(","),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const batch = 1_000;
  const result = await timed(async () => {
    for (let sent = 0; sent < messageCount; sent += batch) {
      const count = Math.min(batch, messageCount - sent);
      const messages = await Promise.all(Array.from({ length: count }, async (_, i) => ({
        key: keys[(sent + i) % poolSize],
        value: await encode(sent + i),
      })));
      await producer.send({ topic, acks: -1, messages });
    }
  });
  await producer.disconnect();
  return result;
}

const clients: Record<string, () => Promise<number>> = {
  "flowodm-many": flowodmMany,
  "flowodm-send": flowodmSend,
  raw,
  "raw-encode": rawEncode,
  "confluent-sr": confluentSchemaRegistry,
  platformatic,
  kafkajs,
};
if (!clients[client]) throw new Error(`unknown --client ${client}`);
const msgsPerSec = await clients[client]();
await close();
await dropTopic(topic);
report({ scenario: "produce", client, messages: messageCount, msgsPerSec });
