/**
 * What only the `ffi` transport has: finding and loading librdkafka, and
 * librdkafka's own checks of configuration. Its Kafka behaviour is tested by
 * the conformance suite, like every transport's.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../src/errors.ts";
import { createFfiTransport, librdkafkaVersion } from "../../src/transport/ffi/mod.ts";
import { kafkaBootstrap, test } from "../harness.ts";
import { ffiTransport } from "./transport_support.ts";

const runtimes = ["deno", "bun"] as const;

test("ffi: loads librdkafka and reports its version", async () => {
  assert.match(await librdkafkaVersion(), /^2\.\d+\.\d+/);
}, { runtimes });

test("ffi: a librdkafka that cannot be loaded is a ConfigError saying where and how", async () => {
  const missing = "/nonexistent/librdkafka.so.1";
  await assert.rejects(
    createFfiTransport({ bootstrapServers: kafkaBootstrap(), librdkafkaPath: missing }),
    (error: unknown) =>
      error instanceof ConfigError && error.message.includes(missing) &&
      error.message.includes("librdkafkaPath") && error.message.includes("apt-get install"),
  );
}, { runtimes });

test("ffi: an unknown or invalid property is a ConfigError naming it", async () => {
  const transport = await ffiTransport();
  await assert.rejects(
    transport.producer({ "no.such.property": "1" }),
    (error: unknown) => error instanceof ConfigError && error.message.includes("no.such.property"),
  );
  await assert.rejects(
    transport.producer({ "acks": "sometimes" }),
    (error: unknown) => error instanceof ConfigError && error.message.includes('"acks"'),
  );
  // Valid one by one, contradictory together: refused by rd_kafka_new.
  await assert.rejects(
    transport.producer({ "enable.idempotence": true, acks: 1 }),
    (error: unknown) => error instanceof ConfigError && /idempotence/.test(error.message),
  );
  await transport.close();
}, { runtimes });
