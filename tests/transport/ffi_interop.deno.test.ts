/**
 * Cross-runtime check: records produced by Deno through the `ffi` transport
 * are read by Bun (`ffi`) and by Node (`native`) in child processes
 * (tests/transport/ffi_interop_reader.ts), and every runtime must see the
 * same key, value, headers, partition, offset and timestamp that Deno's
 * delivery reports gave.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import type { OutgoingMessage } from "../../src/transport/types.ts";
import { test } from "node:test";
import { kafkaBootstrap } from "../support.ts";
import { encode, ffiTransport, freshTopic } from "./transport_support.ts";

const reader = new URL("./ffi_interop_reader.ts", import.meta.url).pathname;
const nativeTransport = new URL("../../src/transport/native/mod.ts", import.meta.url).pathname;
const count = 60;

const base64 = (bytes: Uint8Array | null | undefined) =>
  bytes == null ? null : Buffer.from(bytes).toString("base64");

/** Produces varied records from Deno and returns what each reader must print. */
async function produceFromDeno(): Promise<{ topic: string; expected: unknown[] }> {
  const transport = await ffiTransport();
  const topic = await freshTopic(transport, "ffi-interop", 3);
  const producer = await transport.producer();
  const messages: OutgoingMessage[] = Array.from({ length: count }, (_, i) => ({
    topic,
    partition: i % 5 === 0 ? 2 : undefined,
    key: i % 7 === 0 ? null : encode(`customer-${i % 11}`),
    value: i % 13 === 0 ? null : Uint8Array.from({ length: i * 3 }, (_, j) => (i + j) % 256),
    headers: i % 2 ? [["trace", encode(`t-${i}`)], ["bin", Uint8Array.of(0, 255, i)]] : [],
    timestamp: 1_750_000_000_000 + i,
  }));
  const results = await producer.send(messages);
  await transport.close();
  const expected = results.map((result, i) => {
    assert.ok(result.ok, `message ${i} was delivered`);
    const m = messages[i];
    return {
      topic,
      partition: result.report.partition,
      offset: result.report.offset,
      timestamp: m.timestamp,
      key: base64(m.key),
      value: base64(m.value),
      headers: (m.headers ?? []).map(([name, value]) => [name, base64(value)]),
    };
  }).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  return { topic, expected };
}

async function readWith(command: string, args: string[], topic: string): Promise<unknown> {
  const output = await new Deno.Command(command, {
    args: [...args, reader, topic, String(count)],
    env: { KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap() },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, `${command} read the topic`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
}

test(
  "ffi interop: Deno's records read by Bun (ffi) are identical",
  { timeout: 60_000 },
  async () => {
    const { topic, expected } = await produceFromDeno();
    assert.deepEqual(await readWith("bun", [], topic), expected);
    assert.deepEqual(await readWith(Deno.execPath(), ["run", "-A"], topic), expected);
  },
);

test("ffi interop: Deno's records read by Node (native) are identical", {
  skip: existsSync(nativeTransport)
    ? false
    : "the native transport (src/transport/native) is not built yet",
  timeout: 60_000,
}, async () => {
  const { topic, expected } = await produceFromDeno();
  assert.deepEqual(await readWith("node", ["--import", "tsx"], topic), expected);
});
