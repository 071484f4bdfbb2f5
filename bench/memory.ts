/**
 * Memory: a ConsumerLoop (BatchSettings, no-op handler) reads `--messages`
 * records of a prepared topic (`--topic`); RSS is taken when the first
 * message arrives (clients connected), after a tenth of them (librdkafka's
 * prefetch queue full, code compiled) and after the last.
 */
import { BatchSettings, close, connect, ConsumerLoop } from "../mod.ts";
import {
  args,
  bootstrapServers,
  consumerProperties,
  messageCount,
  registryUrl,
  report,
  rss,
  uniqueName,
} from "./common.ts";
import { orderModel } from "./record.ts";

if (!args.topic) throw new Error("--topic is required (bench/prepare.ts fills one)");
connect({ bootstrapServers, schemaRegistryUrl: registryUrl, kafka: { ...consumerProperties } });
const model = orderModel(args.topic, { consumerGroup: uniqueName("bench-memory") });
let count = 0;
let before = 0;
let after = 0;
let peak = 0;
// librdkafka's prefetch queue and the JIT fill up first; growth after that is what a leak shows.
const warmAfter = Math.floor(messageCount / 10);
let warm = 0;
const loop = new ConsumerLoop({
  model,
  settings: BatchSettings({ consumer: { ...consumerProperties } }),
  fromBeginning: true,
  handleSignals: false,
  logger: { info() {}, warn: console.warn, error: console.error },
  handler: () => {
    count++;
    if (count === 1) before = rss();
    if (count === warmAfter) warm = rss();
    if (count % 10_000 === 0) peak = Math.max(peak, rss());
    if (count === messageCount) {
      after = rss();
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
  rssBeforeMB: mb(before),
  rssAfterMB: mb(after),
  rssPeakMB: mb(Math.max(peak, after)),
  growthMB: mb(after - before),
  growthPer1MMB: mb(after - before) * 1_000_000 / messageCount,
  steadyGrowthPer1MMB: mb(after - warm) * 1_000_000 / (messageCount - warmAfter),
});
