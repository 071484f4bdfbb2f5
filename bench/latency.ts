/**
 * End-to-end latency with the RealTime profile: `send()` at `--rate`
 * messages per second (10 ms ticks) for `--seconds`, a ConsumerLoop with
 * RealTimeSettings() in the same process, latency = handler start minus the
 * moment `send()` was called. Prints p50, p99 and max in milliseconds.
 */
import { close, connect, ConsumerLoop, RealTimeSettings } from "../mod.ts";
import process from "node:process";
import {
  args,
  bootstrapServers,
  dropTopic,
  freshTopic,
  registryUrl,
  report,
  uniqueName,
} from "./common.ts";
import { latencyReport } from "./stats.ts";
import { orderModel, orders, poolSize } from "./record.ts";

const perSecond = Number(args.rate);
const seconds = Number(args.seconds);
const settings = RealTimeSettings();
const topic = await freshTopic("bench-latency");
connect({ bootstrapServers, schemaRegistryUrl: registryUrl, kafka: { ...settings.producer } });
const model = orderModel(topic, { consumerGroup: uniqueName("bench-latency") });
await model.registerSchema();

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let warmedUp = () => {};
const warm = new Promise<void>((resolve) => warmedUp = resolve);
const loop = new ConsumerLoop({
  model,
  settings,
  fromBeginning: true,
  handleSignals: false,
  logger: { info() {}, warn: console.warn, error: console.error },
  handler: (value) => {
    const start = sentAt.get(value.order_id);
    if (start === undefined) return warmedUp();
    latencies.push(performance.now() - start);
    sentAt.delete(value.order_id);
  },
});
const running = loop.run();
// The group join and the first fetch are not part of the latency.
await model.produce({ ...orders[0], order_id: "warm-up" });
const warmUpTimeout = setTimeout(() => {
  console.error("the warm-up message did not arrive within 60 s");
  process.exit(1);
}, 60_000);
await warm;
clearTimeout(warmUpTimeout);

const ticksPerSecond = 100;
const perTick = perSecond / ticksPerSecond;
const total = perSecond * seconds;
let sent = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    for (let i = 0; i < perTick && sent < total; i++, sent++) {
      const order_id = `latency-${sent}`;
      sentAt.set(order_id, performance.now());
      model.send({ ...orders[sent % poolSize], order_id });
    }
    if (sent >= total) {
      clearInterval(timer);
      resolve();
    }
  }, 1000 / ticksPerSecond);
});
await model.flush();
const deadline = Date.now() + 10_000;
while (latencies.length < total && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
loop.stop();
await running;
await close();
await dropTopic(topic);

report(latencyReport("flowodm-loop", latencies, total, perSecond));
