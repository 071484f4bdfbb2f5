/**
 * Reads a topic from the beginning with this runtime's transport (Deno and
 * Bun: `ffi`; Node: `native`) and prints what it read as one JSON line, bytes
 * in base64, sorted by partition and offset. Used by
 * ffi_interop.deno.test.ts to compare runtimes on the same records.
 *
 * Usage: <runtime> tests/transport/ffi_interop_reader.ts <topic> <count>
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import type { IncomingMessage, Transport } from "../../src/transport/types.ts";
import { kafkaBootstrap, runtime, uniqueName } from "../support.ts";

const [topic, countText] = process.argv.slice(2);
const count = Number(countText);

// Held in variables so that no runtime resolves another runtime's transport.
const ffiModule = "../../src/transport/ffi/mod.ts";
const nativeModule = "../../src/transport/native/mod.ts";

async function transportForRuntime(): Promise<Transport> {
  const config = { bootstrapServers: kafkaBootstrap() };
  if (runtime === "node") return (await import(nativeModule)).createNativeTransport(config);
  return (await import(ffiModule)).createFfiTransport(config);
}

const base64 = (bytes: Uint8Array | null) =>
  bytes === null ? null : Buffer.from(bytes).toString("base64");

const transport = await transportForRuntime();
const consumer = await transport.consumer({ groupId: uniqueName("interop"), fromBeginning: true });
await consumer.subscribe([topic]);
const read: IncomingMessage[] = [];
const deadline = Date.now() + 30_000;
while (read.length < count && Date.now() < deadline) {
  read.push(...await consumer.poll(count - read.length, 500));
}
await transport.close();
read.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
console.log(JSON.stringify(read.map((m) => ({
  topic: m.topic,
  partition: m.partition,
  offset: m.offset,
  timestamp: m.timestamp,
  key: base64(m.key),
  value: base64(m.value),
  headers: m.headers.map(([name, value]) => [name, base64(value)]),
}))));
