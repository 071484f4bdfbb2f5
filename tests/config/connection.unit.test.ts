/**
 * The connection's parts without a broker: registry schemes through the hook,
 * `connect()` closing the connection it replaces (on the in-process memory
 * transport, which is what a lifecycle test needs), and no secrets shown.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { close, connect, Connection } from "../../src/config/connection.ts";
import {
  registerRegistryScheme,
  type RegistryAccessSettings,
} from "../../src/config/registry_schemes.ts";
import { ConfigError } from "../../src/errors.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { MockSchemaRegistry } from "../../src/registry/mock_registry.ts";
import { test } from "node:test";
import { uniqueName } from "../support.ts";

test("the built-in schemes come through the hook: http, https, mock", () => {
  for (const url of ["http://127.0.0.1:1", "https://127.0.0.1:1"]) {
    assert.ok(
      new Connection({ schemaRegistryUrl: url }).registry() instanceof SchemaRegistryClient,
    );
  }
  const mock = new Connection({ schemaRegistryUrl: `mock://${uniqueName("scope")}` });
  assert.ok(mock.registry() instanceof MockSchemaRegistry);
});

test("an unknown scheme is a ConfigError listing the known ones", () => {
  const connection = new Connection({ schemaRegistryUrl: "ftp://registry" });
  assert.throws(() => connection.registry(), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /ftp:\/\/registry/);
    assert.match(error.message, /http:\/\//);
    assert.match(error.message, /mock:\/\//);
    return true;
  });
});

test("a registered scheme gets the URL and the connection's credentials", () => {
  const seen: [string, RegistryAccessSettings][] = [];
  const scheme = `t${uniqueName("s").replace(/[^a-z0-9]/g, "")}`;
  const registry = new MockSchemaRegistry(`mock://${uniqueName("behind")}`);
  registerRegistryScheme(scheme, (url, access) => {
    seen.push([url, access]);
    return registry;
  });
  const connection = new Connection({
    schemaRegistryUrl: `${scheme}://somewhere`,
    schemaRegistryBasicAuthUserInfo: "user:password",
    schemaRegistryBearerToken: "token",
  });
  assert.equal(connection.registry(), registry);
  assert.equal(connection.registry(), registry, "created once");
  assert.equal(seen.length, 1);
  assert.equal(seen[0][0], `${scheme}://somewhere`);
  assert.equal(seen[0][1].basicAuth, "user:password");
  assert.equal(seen[0][1].bearerToken, "token");
});

test("connect() closes the connection it replaces", async () => {
  const scope = uniqueName("replaced");
  const first = connect({ bootstrapServers: `memory://${scope}` });
  const producer = await first.producer();
  await producer.send([{ topic: "t", key: null, value: new Uint8Array([1]) }]);
  const second = connect({ bootstrapServers: `memory://${scope}` });
  assert.notEqual(second, first);
  await close(); // waits for the replaced connection's close too
  await assert.rejects(
    producer.send([{ topic: "t", key: null, value: new Uint8Array([2]) }]),
    /closed/,
    "the replaced connection's producer is closed",
  );
  // The replaced connection can still be used: it makes new clients on demand.
  const again = await first.producer();
  assert.notEqual(again, producer);
  await first.close();
});

test("connect() closes the replaced connection without close() being called", async () => {
  const scope = uniqueName("replaced");
  const first = connect({ bootstrapServers: `memory://${scope}` });
  const producer = await first.producer();
  connect({ bootstrapServers: `memory://${scope}` });
  const deadline = Date.now() + 30_000;
  let closed = false;
  while (!closed && Date.now() < deadline) {
    closed = await producer.send([{ topic: "t", key: null, value: new Uint8Array([1]) }]).then(
      () => false,
      () => true,
    );
    if (!closed) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(closed, "the replaced connection's producer was closed");
  await close();
});

test("no secret in toString, JSON or inspection, URL credentials included", () => {
  const connection = new Connection({
    bootstrapServers: "127.0.0.1:1",
    schemaRegistryUrl: "https://reg-user:reg-pass@registry:8081",
    schemaRegistryBasicAuthUserInfo: "user:basic-secret",
    saslMechanism: "SCRAM-SHA-512",
    saslUsername: "app",
    saslPassword: "sasl-secret",
    schemaRegistryBearerToken: "bearer-secret",
  });
  for (const shown of [String(connection), JSON.stringify(connection), inspect(connection)]) {
    for (const secret of ["reg-pass", "reg-user", "basic-secret", "sasl-secret", "bearer-secret"]) {
      assert.ok(!shown.includes(secret), `${secret} in ${shown}`);
    }
    assert.match(shown, /registry:8081/);
  }
  assert.equal(connection.kafkaProperties()["sasl.password"], "sasl-secret");
});
