/**
 * Consume throughput over a prepared topic (`--topic`, `--messages` records),
 * each client in a new group from the beginning, timed from its first message
 * to its last. `--client` picks the reader:
 *
 *   flowodm-loop      ConsumerLoop (BatchSettings), a no-op handler: decode + validate
 *   flowodm-iterator  the model's async iterator, a commit every 1 000 messages
 *   raw               @confluentinc/kafka-javascript reading bytes (Node)
 *   raw-decode        the raw client, each record decoded by this library's Model.decode (Node):
 *                     the raw client doing this library's work, the most a loop could reach
 *   transport         this library's own transport consumer reading bytes, on any runtime
 *                     (native on Node, FFI on Deno and Bun) with BatchSettings' librdkafka
 *                     settings and poll size: the runtime's own raw figure
 *   transport-decode  the transport consumer reading shared bytes as the loop does, each record
 *                     decoded by Model.decode and then released: the most a ConsumerLoop on that
 *                     runtime could reach
 *   confluent-sr      the raw client + @confluentinc/schemaregistry AvroDeserializer (Node)
 *   platformatic      @platformatic/kafka's consumer stream + @kafkajs/confluent-schema-registry (Node)
 *   kafkajs           kafkajs eachBatch + @kafkajs/confluent-schema-registry (Node)
 *
 * The peers get the librdkafka consumers' fetch settings in their own terms
 * (1 MiB minimum, 500 ms wait, 4 MiB per partition) and commit on their own.
 */
import type { Buffer } from "node:buffer";
import { BatchSettings, close, connect, ConsumerLoop } from "../mod.ts";
import {
  args,
  bootstrapServers,
  consumerProperties,
  messageCount,
  polyfillWithResolvers,
  rate,
  registryUrl,
  report,
  uniqueName,
} from "./common.ts";
import { orderModel } from "./record.ts";
import { rawConsume, rawConsumer } from "./raw_client.ts";
import { transportConsumer } from "./transport_client.ts";

const client = args.client;
const topic = args.topic;
if (!topic) throw new Error("--topic is required (bench/prepare.ts fills one)");
connect({ bootstrapServers, schemaRegistryUrl: registryUrl, kafka: { ...consumerProperties } });
const groupId = uniqueName(`bench-${client}`);
const model = orderModel(topic, { consumerGroup: groupId });
const silent = { info() {}, warn: console.warn, error: console.error };

let first = 0;
let count = 0;
/** Counts one message; true once all arrived. */
function seen(): boolean {
  if (count++ === 0) first = performance.now();
  return count >= messageCount;
}
// The first message starts the clock, so group joins and fetch warm-up are left out for all.
const result = () => rate(count - 1, first, performance.now());

async function flowodmLoop(): Promise<number> {
  let end = 0;
  const loop = new ConsumerLoop({
    model,
    settings: BatchSettings({ consumer: { ...consumerProperties } }),
    fromBeginning: true,
    handleSignals: false,
    logger: silent,
    handler: () => {
      if (seen() && !end) {
        end = performance.now();
        loop.stop();
      }
    },
  });
  await loop.run();
  return rate(count - 1, first, end);
}

async function flowodmIterator(): Promise<number> {
  for await (const message of model.consume({ fromBeginning: true })) {
    const done = seen();
    if (done || count % 1_000 === 0) await message.commit();
    if (done) break;
  }
  return result();
}

async function raw(): Promise<number> {
  const consumer = await rawConsumer(topic, groupId);
  while (count < messageCount) {
    for (const _ of await rawConsume(consumer, 1_000)) seen();
  }
  const measured = result();
  consumer.disconnect();
  return measured;
}

async function rawDecode(): Promise<number> {
  const consumer = await rawConsumer(topic, groupId);
  while (count < messageCount) {
    for (const message of await rawConsume(consumer, 1_000)) {
      await model.decode(message.value);
      seen();
    }
  }
  const measured = result();
  consumer.disconnect();
  return measured;
}

/** Polls this library's transport like the loop does (BatchSettings), `each` on every record. */
async function transportReading(each?: (value: Uint8Array) => Promise<unknown>): Promise<number> {
  const settings = BatchSettings({ consumer: { ...consumerProperties } });
  // Decoding, it reads as the loop reads: shared bytes.
  const consumer = await transportConsumer(
    model.connection,
    topic,
    groupId,
    settings.consumer,
    each !== undefined,
  );
  while (count < messageCount) {
    for (const message of await consumer.poll(settings.pollBatchSize, 100)) {
      if (each) {
        await each(message.value!);
        consumer.release?.(message); // as the loop gives records back once done
      }
      if (seen()) break;
    }
  }
  const measured = result();
  await consumer.close();
  return measured;
}

async function confluentSchemaRegistry(): Promise<number> {
  const sr = await import("@confluentinc/schemaregistry");
  const registry = new sr.SchemaRegistryClient({ baseURLs: [registryUrl] });
  const deserializer = new sr.AvroDeserializer(registry, sr.SerdeType.VALUE, {});
  const consumer = await rawConsumer(topic, groupId);
  while (count < messageCount) {
    for (const message of await rawConsume(consumer, 1_000)) {
      await deserializer.deserialize(topic, message.value);
      seen();
    }
  }
  const measured = result();
  consumer.disconnect();
  return measured;
}

async function kafkajsDecoder() {
  const { SchemaRegistry } = await import("@kafkajs/confluent-schema-registry");
  return new SchemaRegistry({ host: registryUrl });
}

async function platformatic(): Promise<number> {
  polyfillWithResolvers();
  const { Consumer, MessagesStreamModes } = await import("@platformatic/kafka");
  const registry = await kafkajsDecoder();
  const consumer = new Consumer({
    clientId: "bench",
    groupId,
    bootstrapBrokers: bootstrapServers.split(","),
  });
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: true,
    minBytes: consumerProperties["fetch.min.bytes"],
    maxWaitTime: consumerProperties["fetch.wait.max.ms"],
    maxBytesPerPartition: consumerProperties["max.partition.fetch.bytes"],
  });
  for await (const message of stream) {
    await registry.decode(message.value as Buffer);
    if (seen()) break;
  }
  const measured = result();
  await stream.close();
  await consumer.close(true);
  return measured;
}

async function kafkajs(): Promise<number> {
  const { Kafka, logLevel } = await import("kafkajs");
  const registry = await kafkajsDecoder();
  const kafka = new Kafka({
    clientId: "bench",
    brokers: bootstrapServers.split(","),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId,
    minBytes: consumerProperties["fetch.min.bytes"],
    maxWaitTimeInMs: consumerProperties["fetch.wait.max.ms"],
    maxBytesPerPartition: consumerProperties["max.partition.fetch.bytes"],
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let done = () => {};
  const finished = new Promise<void>((resolve) => done = resolve);
  // eachBatch is kafkajs's fastest way; offsets are resolved per message and committed by it.
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning }) => {
      for (const message of batch.messages) {
        if (!isRunning() || count >= messageCount) break;
        await registry.decode(message.value as Buffer);
        resolveOffset(message.offset);
        if (seen()) done();
      }
      await heartbeat();
    },
  });
  await finished;
  const measured = result();
  await consumer.disconnect();
  return measured;
}

const clients: Record<string, () => Promise<number>> = {
  "flowodm-loop": flowodmLoop,
  "flowodm-iterator": flowodmIterator,
  raw,
  "raw-decode": rawDecode,
  transport: () => transportReading(),
  "transport-decode": () => transportReading((value) => model.decode(value)),
  "confluent-sr": confluentSchemaRegistry,
  platformatic,
  kafkajs,
};
if (!clients[client]) throw new Error(`unknown --client ${client}`);
const msgsPerSec = await clients[client]();
await close();
report({ scenario: "consume", client, messages: messageCount, msgsPerSec });
