/**
 * Rough throughput of the `ffi` transport on this runtime: produces 100 000
 * messages of 200 bytes (one header) in batches of 10 000, then consumes them
 * in a group. Not a test; run by hand:
 *
 *   deno run -A tests/transport/ffi_bench.ts
 *   bun tests/transport/ffi_bench.ts
 */
import { runtime, uniqueName } from "../support.ts";
import { ffiTransport, freshTopic } from "./transport_support.ts";

const total = 100_000;
const batch = 10_000;

const transport = await ffiTransport();
const topic = await freshTopic(transport, "ffi-bench", 3);
const producer = await transport.producer({ "linger.ms": 5 });
const value = new Uint8Array(200).fill(65);
const produceStart = performance.now();
for (let sent = 0; sent < total; sent += batch) {
  const results = await producer.send(Array.from({ length: batch }, () => ({
    topic,
    key: null,
    value,
    headers: [["h", value.subarray(0, 8)]] as const,
  })));
  if (!results.every((r) => r.ok)) throw new Error("a message was not delivered");
}
const produceRate = total / ((performance.now() - produceStart) / 1000);

const consumer = await transport.consumer({
  groupId: uniqueName("ffi-bench-g"),
  fromBeginning: true,
});
await consumer.subscribe([topic]);
let consumed = 0;
let consumeStart = 0;
while (consumed < total) {
  const messages = await consumer.poll(1000, 5000);
  if (messages.length === 0) break;
  consumeStart ||= performance.now();
  consumed += messages.length;
}
const consumeRate = consumed / ((performance.now() - consumeStart) / 1000);
await transport.close();
const admin = await (await ffiTransport()).admin();
await admin.deleteTopic(topic);
await admin.close();
console.log(
  `${runtime} ffi: produce ${Math.round(produceRate)} msg/s, consume ${
    Math.round(consumeRate)
  } msg/s (${consumed} of ${total})`,
);
