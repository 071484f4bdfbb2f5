/**
 * The latency floor of this machine and broker: the raw client producing
 * bytes (acks=all, idempotent, linger 0) and a raw consumer with the
 * RealTime fetch settings in the same process, at `--rate` messages per
 * second for `--seconds`. Same measure as bench/latency.ts. Node only.
 */
import { Buffer } from "node:buffer";
import { kafkaJavascript } from "./raw_client.ts";
import { latencyReport } from "./stats.ts";
import { args, bootstrapServers, dropTopic, freshTopic, report, uniqueName } from "./common.ts";

const perSecond = Number(args.rate);
const total = perSecond * Number(args.seconds);
const topic = await freshTopic("bench-latency-raw");
const Kafka = kafkaJavascript();
const connected = (client: { connect(o: object, cb: (e: unknown) => void): void }) =>
  new Promise<void>((resolve, reject) => client.connect({}, (e) => e ? reject(e) : resolve()));

const producer = new Kafka.Producer({
  "bootstrap.servers": bootstrapServers,
  "acks": "all",
  "enable.idempotence": true,
  "linger.ms": 0,
  dr_cb: true,
});
await connected(producer);
producer.setPollInterval(5);
const consumer = new Kafka.KafkaConsumer({
  "bootstrap.servers": bootstrapServers,
  "group.id": uniqueName("bench-latency-raw"),
  "fetch.min.bytes": 1,
  "fetch.wait.max.ms": 10,
}, { "auto.offset.reset": "earliest" });
await connected(consumer);
consumer.setDefaultConsumeTimeout(100);
consumer.setDefaultIsTimeoutOnlyForFirstMessage(true);
consumer.subscribe([topic]);

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let warmedUp = () => {};
const warm = new Promise<void>((resolve) => warmedUp = resolve);
let stopped = false;
const reading = (async () => {
  while (!stopped) {
    const messages: { key: Buffer }[] = await new Promise((resolve, reject) =>
      consumer.consume(100, (e: unknown, m: { key: Buffer }[]) => e ? reject(e) : resolve(m))
    );
    for (const message of messages) {
      const key = message.key.toString();
      const start = sentAt.get(key);
      if (start === undefined) warmedUp();
      else latencies.push(performance.now() - start);
    }
  }
})();
const value = Buffer.alloc(1024, 65);
producer.produce(topic, null, value, Buffer.from("warm-up"));
await warm;

let sent = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    for (let i = 0; i < perSecond / 100 && sent < total; i++, sent++) {
      const key = `latency-${sent}`;
      sentAt.set(key, performance.now());
      producer.produce(topic, null, value, Buffer.from(key));
    }
    if (sent >= total) {
      clearInterval(timer);
      resolve();
    }
  }, 10);
});
const deadline = Date.now() + 10_000;
while (latencies.length < total && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
stopped = true;
await reading;
consumer.disconnect();
producer.disconnect();
await dropTopic(topic);

report(latencyReport("raw", latencies, total, perSecond));
