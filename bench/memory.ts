/**
 * Memory: a ConsumerLoop (BatchSettings, no-op handler) reads `--messages`
 * records of a prepared topic (`--topic`); RSS is taken when the first
 * message arrives (clients connected), after a tenth of them (librdkafka's
 * prefetch queue full, code compiled) and after the last, with the messages
 * per second in between. `--queue-kbytes N` overrides the profile's bound on
 * librdkafka's prefetch queue (`queued.max.messages.kbytes`).
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

if (!args.topic) throw new Error("--topic is required (bench/prepare.ts fills one)");
connect({ bootstrapServers, schemaRegistryUrl: registryUrl, kafka: { ...consumerProperties } });
const queueKBytes = args["queue-kbytes"] ? Number(args["queue-kbytes"]) : undefined;
const settings = BatchSettings({
  consumer: {
    ...consumerProperties,
    ...(queueKBytes ? { "queued.max.messages.kbytes": queueKBytes } : {}),
  },
});
const model = orderModel(args.topic, { consumerGroup: uniqueName("bench-memory") });
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
let last = 0;
const loop = new ConsumerLoop({
  model,
  settings,
  fromBeginning: true,
  handleSignals: false,
  logger: { info() {}, warn: console.warn, error: console.error },
  handler: () => {
    count++;
    if (count === 1) {
      before = rss();
      heapBefore = heap();
      first = performance.now();
    }
    if (count === warmAfter) warm = rss();
    if (count % 10_000 === 0) peak = Math.max(peak, rss());
    if (count === messageCount) {
      last = performance.now();
      after = rss();
      heapAfter = heap();
      loop.stop();
    }
  },
});
await loop.run();
await close();
const mb = (bytes: number) => bytes / 1_048_576;
report({
  scenario: "memory",
  client: "flowodm-loop",
  messages: messageCount,
  queueKBytes: settings.consumer["queued.max.messages.kbytes"] ?? "librdkafka default",
  msgsPerSec: rate(count - 1, first, last),
  rssBeforeMB: mb(before),
  rssAfterMB: mb(after),
  rssPeakMB: mb(Math.max(peak, after)),
  growthMB: mb(after - before),
  heapTotalGrowthMB: mb(heapAfter.heapTotal - heapBefore.heapTotal),
  externalGrowthMB: mb(heapAfter.external - heapBefore.external),
  growthPer1MMB: mb(after - before) * 1_000_000 / messageCount,
  steadyGrowthPer1MMB: mb(after - warm) * 1_000_000 / (messageCount - warmAfter),
});
