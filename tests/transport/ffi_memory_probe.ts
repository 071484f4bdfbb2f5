/**
 * Run by ffi_memory.test.ts in its own Deno or Bun process: produces and
 * consumes 200 000 messages through the `ffi` transport and prints, at fixed
 * points and after a full GC (so JS garbage does not hide or fake a leak),
 * resident memory, what malloc holds (librdkafka's events and messages live
 * there) and the JS heap's live objects, as one JSON line.
 *
 * Usage: deno run -A --v8-flags=--expose-gc tests/transport/ffi_memory_probe.ts
 *        bun tests/transport/ffi_memory_probe.ts
 */
import process from "node:process";
import { memoryMap } from "../../bench/memory_map.ts";
import { uniqueName } from "../support.ts";
import { encode, ffiTransport, freshTopic } from "./transport_support.ts";

const total = 200_000;
const batch = 10_000;
const checkpoints = new Set([50_000, 100_000, 150_000, 200_000]);

const runtimeGlobals = globalThis as unknown as {
  gc?: () => void;
  Bun?: { gc(force: boolean): void };
};
const bun = runtimeGlobals.Bun;
const gc = bun ? () => bun.gc(true) : runtimeGlobals.gc;
if (!gc) throw new Error("on Deno, run with --v8-flags=--expose-gc");
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024 * 10) / 10;
/** Resident, malloc'd (main heap and thread arenas) and live JS heap MB. */
const sample = () => {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  const map = memoryMap();
  const malloc = map ? Math.round((map.mainHeap + map.threadArenas) * 10) / 10 : undefined;
  return { rss: mb(rss), malloc, heapUsed: mb(heapUsed) };
};
type Sample = ReturnType<typeof sample>;

const transport = await ffiTransport();
const topic = await freshTopic(transport, "ffi-memory", 2);
const producer = await transport.producer({ "linger.ms": 5 });
const value = new Uint8Array(100).fill(7);
const produced: Record<number, Sample> = {};
const started = performance.now();
for (let sent = 0; sent < total; sent += batch) {
  const results = await producer.send(Array.from({ length: batch }, (_, i) => ({
    topic,
    key: encode(`k${(sent + i) % 1000}`),
    value,
    headers: [["a", value.subarray(0, 10)], ["b", encode(String(sent + i))]] as const,
  })));
  if (!results.every((r) => r.ok)) throw new Error("a message was not delivered");
  if (checkpoints.has(sent + batch)) produced[sent + batch] = sample();
}
await producer.close();
const produceSeconds = (performance.now() - started) / 1000;

const consumer = await transport.consumer({
  groupId: uniqueName("ffi-memory-g"),
  fromBeginning: true,
  // A small prefetch queue, so that librdkafka's own buffer is full early.
  properties: { "queued.max.messages.kbytes": 4096 },
});
await consumer.subscribe([topic]);
const consumed: Record<number, Sample> = {};
let count = 0;
let bytes = 0;
const deadline = Date.now() + 50_000;
let next = [...checkpoints];
while (count < total && Date.now() < deadline) {
  const messages = await consumer.poll(1000, 1000);
  for (const m of messages) bytes += m.value!.length + m.headers[0][1].length;
  count += messages.length;
  while (next.length > 0 && count >= next[0]) {
    consumed[next[0]] = sample();
    next = next.slice(1);
  }
}
await transport.close();
const admin = await (await ffiTransport()).admin();
await admin.deleteTopic(topic);
await admin.close();
console.log(JSON.stringify({ count, bytes, produced, consumed, produceSeconds }));
