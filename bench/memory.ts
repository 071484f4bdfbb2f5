/**
 * Memory: a consumer reads `--messages` records of a prepared topic
 * (`--topic`); RSS is taken when the first message arrives (clients
 * connected), after a tenth of them (librdkafka's prefetch queue full, code
 * compiled) and after the last, with the messages per second in between.
 * `--client` picks the consumer:
 *
 *   flowodm-loop  a ConsumerLoop (BatchSettings, no-op handler)
 *   raw           @confluentinc/kafka-javascript reading bytes with the same
 *                 librdkafka settings as the loop (Node): the raw client's own
 *                 figure, what librdkafka and the runtime grow by themselves
 *   transport     this library's transport consumer reading bytes with the
 *                 loop's settings, on any runtime: that runtime's own figure
 *   transport-decode  the same consumer reading as the loop reads (shared
 *                 bytes, each record released once decoded), each record
 *                 decoded by Model.decode: the loop's work without the loop,
 *                 that runtime's figure for it
 *
 * On Linux the growth is also split by where it sits (bench/memory_map.ts):
 * malloc's main heap, malloc's other threads' arenas, other anonymous memory.
 *
 * `--queue-kbytes N` overrides the profile's bound on librdkafka's prefetch
 * queue (`queued.max.messages.kbytes`).
 */
import { BatchSettings, close, connect, ConsumerLoop } from "../mod.ts";
import process from "node:process";
import {
  args,
  bootstrapServers,
  consumerProperties,
  messageCount,
  rate,
  registryUrl,
  report,
  rss,
  uniqueName,
} from "./common.ts";
import { orderModel } from "./record.ts";
import { rawConsume, rawConsumer } from "./raw_client.ts";
import { mapGrowth, type MemoryMap, memoryMap } from "./memory_map.ts";
import { transportConsumer } from "./transport_client.ts";

if (!args.topic) throw new Error("--topic is required (bench/prepare.ts fills one)");
const client = args.client || "flowodm-loop";
const connection = connect({
  bootstrapServers,
  schemaRegistryUrl: registryUrl,
  kafka: { ...consumerProperties },
});
const queueKBytes = args["queue-kbytes"] ? Number(args["queue-kbytes"]) : undefined;
const settings = BatchSettings({
  consumer: {
    ...consumerProperties,
    ...(queueKBytes ? { "queued.max.messages.kbytes": queueKBytes } : {}),
  },
});
const groupId = uniqueName(`bench-memory-${client}`);

let count = 0;
let before = 0;
let after = 0;
let peak = 0;
// librdkafka's prefetch queue and the JIT fill up first; growth after that is what a leak shows.
const warmAfter = Math.floor(messageCount / 10);
let warm = 0;
let first = 0;
// Where the growth sits: the JS heap, or memory outside it (ArrayBuffers, native).
const heap = () => process.memoryUsage();
let heapBefore = heap();
let heapAfter = heapBefore;
let mapBefore: MemoryMap | undefined;
let mapAfter: MemoryMap | undefined;
let last = 0;

/** Takes the measurements one message brings; true once the last one arrived. */
function seen(): boolean {
  count++;
  if (count === 1) {
    before = rss();
    heapBefore = heap();
    mapBefore = memoryMap();
    first = performance.now();
  }
  if (count === warmAfter) warm = rss();
  if (count % 10_000 === 0) peak = Math.max(peak, rss());
  if (count !== messageCount) return false;
  last = performance.now();
  after = rss();
  heapAfter = heap();
  mapAfter = memoryMap();
  return true;
}

async function flowodmLoop(): Promise<void> {
  const loop = new ConsumerLoop({
    model: orderModel(args.topic, { consumerGroup: groupId }),
    settings,
    fromBeginning: true,
    handleSignals: false,
    logger: { info() {}, warn: console.warn, error: console.error },
    handler: () => {
      if (seen()) loop.stop();
    },
  });
  await loop.run();
}

async function raw(): Promise<void> {
  // The loop's own librdkafka settings: the same fetch sizes and the same prefetch bound.
  const consumer = await rawConsumer(args.topic, groupId, settings.consumer);
  while (count < messageCount) {
    for (const _ of await rawConsume(consumer, 1_000)) if (seen()) break;
  }
  await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
}

async function transport(decode = false): Promise<void> {
  const model = orderModel(args.topic, { consumerGroup: groupId });
  const consumer = await transportConsumer(
    connection,
    args.topic,
    groupId,
    settings.consumer,
    decode,
  );
  while (count < messageCount) {
    for (const message of await consumer.poll(settings.pollBatchSize, 100)) {
      if (decode) {
        await model.decode(message.value!);
        consumer.release?.(message); // as the loop gives records back once done
      }
      if (seen()) break;
    }
  }
  await consumer.close();
}

const clients: Record<string, () => Promise<void>> = {
  "flowodm-loop": flowodmLoop,
  raw,
  transport: () => transport(),
  "transport-decode": () => transport(true),
};
if (!clients[client]) throw new Error(`unknown --client ${client}`);
await clients[client]();
await close();
const mb = (bytes: number) => bytes / 1_048_576;
report({
  scenario: "memory",
  client,
  messages: messageCount,
  queueKBytes: settings.consumer["queued.max.messages.kbytes"] ?? "librdkafka default",
  msgsPerSec: rate(count - 1, first, last),
  rssBeforeMB: mb(before),
  rssAfterMB: mb(after),
  rssPeakMB: mb(Math.max(peak, after)),
  growthMB: mb(after - before),
  heapTotalGrowthMB: mb(heapAfter.heapTotal - heapBefore.heapTotal),
  externalGrowthMB: mb(heapAfter.external - heapBefore.external),
  ...mapGrowth(mapBefore, mapAfter),
  growthPer1MMB: mb(after - before) * 1_000_000 / messageCount,
  steadyGrowthPer1MMB: mb(after - warm) * 1_000_000 / (messageCount - warmAfter),
});
