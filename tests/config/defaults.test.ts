/**
 * No silent in-memory default: with nothing configured a connection names localhost:9092 and
 * http://localhost:8081, as other Kafka clients do, and produces there; memory:// only when asked.
 */
import assert from "node:assert/strict";
import process from "node:process";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { close, connect, Connection, defaultConnection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { MockSchemaRegistry } from "../../src/registry/mock_registry.ts";
import { createTransport } from "../../src/transport/select.ts";

/** Runs `body` with the connection variables unset, as in a deployment that forgot them. */
async function withoutVariables<T>(
  body: () => Promise<T> | T,
  variables = ["KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL"],
): Promise<T> {
  const saved = variables.map((name) => process.env[name]);
  for (const name of variables) delete process.env[name];
  try {
    return await body();
  } finally {
    variables.forEach((name, i) => {
      if (saved[i] !== undefined) process.env[name] = saved[i];
    });
  }
}

test("nothing configured: localhost:9092 and http://localhost:8081, never memory", {
  timeout: 60_000,
}, async () => {
  await withoutVariables(() => {
    const connection = new Connection();
    assert.equal(connection.bootstrapServers, "localhost:9092");
    assert.equal(connection.schemaRegistryUrl, "http://localhost:8081");
    assert.ok(connection.registry() instanceof SchemaRegistryClient);
    assert.equal(connect().bootstrapServers, "localhost:9092");
  });
});

test("memory:// only when asked; its registry is the mock of the same scope unless one is set", {
  timeout: 60_000,
}, async () => {
  await withoutVariables(() => {
    const scope = uniqueName("scope");
    const memory = new Connection({ bootstrapServers: `memory://${scope}` });
    assert.equal(memory.schemaRegistryUrl, `mock://${scope}`);
    assert.ok(memory.registry() instanceof MockSchemaRegistry);
    assert.equal(
      new Connection({ bootstrapServers: "memory://" }).schemaRegistryUrl,
      "mock://default",
    );
    const real = new Connection({
      bootstrapServers: `memory://${scope}`,
      schemaRegistryUrl: "http://127.0.0.1:8081",
    });
    assert.equal(real.schemaRegistryUrl, "http://127.0.0.1:8081");
  });
});

test("a model with nothing configured produces to the broker on localhost:9092, not into memory", {
  timeout: 90_000,
  skip: /^(127\.0\.0\.1|localhost):9092$/.test(kafkaBootstrap())
    ? false
    : `the suite's broker is ${kafkaBootstrap()}, not localhost:9092`,
}, async () => {
  const topic = uniqueName("defaults");
  const Event = defineModel("DefaultsEvent", v.object({ id: v.string() }), { topic });
  // Kafka unconfigured; the registry is the suite's (the stack's Apicurio serves Confluent's
  // API under a path, not at http://localhost:8081 itself).
  const report = await withoutVariables(async () => {
    connect({ schemaRegistryUrl: registryUrl() });
    try {
      assert.equal(defaultConnection().bootstrapServers, "localhost:9092");
      await Event.ensureTopic();
      return await Event.produce({ id: "on-the-broker" });
    } finally {
      await close();
    }
  }, ["KAFKA_BOOTSTRAP_SERVERS"]);
  // Read back from the stack the other tests use: the value is there.
  const transport = await createTransport({ bootstrapServers: kafkaBootstrap() });
  try {
    const consumer = await transport.consumer({
      groupId: uniqueName("defaults-g"),
      fromBeginning: true,
    });
    await consumer.subscribe([topic]);
    const deadline = Date.now() + 30_000;
    let found;
    while (!found && Date.now() < deadline) [found] = await consumer.poll(1, 500);
    await consumer.close();
    assert.ok(found, "the message is on the real broker");
    assert.equal(found.offset, report.offset);
    assert.deepEqual(await Event.decode(found.value), { id: "on-the-broker" });
  } finally {
    await transport.close();
  }
});
