/**
 * What only the `ffi` transport has: finding and loading librdkafka, and
 * librdkafka's own checks of configuration. Its Kafka behaviour is tested by
 * the conformance suite, like every transport's.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../src/errors.ts";
import { createFfiTransport, librdkafkaVersion } from "../../src/transport/ffi/mod.ts";
import { test } from "node:test";
import { kafkaBootstrap, runsOn } from "../support.ts";
import { ffiTransport } from "./transport_support.ts";

const runtimes = ["deno", "bun"] as const;

if (runsOn(runtimes)) {
  test("ffi: loads librdkafka and reports its version", { timeout: 60_000 }, async () => {
    assert.match(await librdkafkaVersion(), /^2\.\d+\.\d+/);
  });
}

if (runsOn(runtimes)) {
  test("ffi: a librdkafka that cannot be loaded is a ConfigError saying where and how", {
    timeout: 60_000,
  }, async () => {
    const missing = "/nonexistent/librdkafka.so.1";
    await assert.rejects(
      createFfiTransport({ bootstrapServers: kafkaBootstrap(), librdkafkaPath: missing }),
      (error: unknown) =>
        error instanceof ConfigError && error.message.includes(missing) &&
        error.message.includes("librdkafkaPath") && error.message.includes("apt-get install"),
    );
  });
}

if (runsOn(runtimes)) {
  test(
    "ffi: an unknown or invalid property is a ConfigError naming it",
    { timeout: 60_000 },
    async () => {
      const transport = await ffiTransport();
      await assert.rejects(
        transport.producer({ "no.such.property": "1" }),
        (error: unknown) =>
          error instanceof ConfigError && error.message.includes("no.such.property"),
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
    },
  );
}
