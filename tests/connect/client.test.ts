/**
 * ConnectClient and the publish steps against the real Kafka Connect worker
 * (Apache Kafka's file connectors): create, unchanged, update, status,
 * validation errors, removal; and through a proxy that serves Connect under
 * a path with basic auth and answers 503 first: retries, and no secret in
 * any error message.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, runtime, uniqueName } from "../support.ts";
import { ConnectClient } from "../../src/connect/client.ts";
import { defineConnector } from "../../src/connect/connector.ts";
import { publishConnector, waitForRunning } from "../../src/connect/publish.ts";
import { ConfigError, ConnectError } from "../../src/errors.ts";
import { Connection } from "../../src/config/connection.ts";
import { flakyProxy, kafkaConnectUrl } from "./connect_support.ts";

// Below the ephemeral range (32768-60999), where an outgoing connection may hold a port.
const proxyPort = { deno: 29033, node: 29034, bun: 29035 }[runtime];

function fileSource(name: string, topic: string, extra: Record<string, string> = {}) {
  return defineConnector({
    name,
    config: {
      "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
      file: "/dev/null",
      topic,
      "tasks.max": 1,
      "topic.creation.default.replication.factor": 1,
      "topic.creation.default.partitions": 1,
      ...extra,
    },
  });
}

test("publish creates, leaves unchanged, updates and removes a connector under a name prefix", {
  timeout: 180_000,
}, async () => {
  const prefix = `${uniqueName("flowodm-test")}-`;
  const client = new ConnectClient({ url: kafkaConnectUrl(), namePrefix: prefix });
  const source = fileSource("files", uniqueName("files"));
  try {
    assert.equal(await publishConnector(client, source), "created");
    assert.ok((await client.connectors()).includes(`${prefix}files`));
    const health = await waitForRunning(client, "files", 90_000, 500);
    assert.equal(health.running, true, JSON.stringify(health.status));
    assert.equal(health.status?.tasks.length, 1);
    assert.equal(await publishConnector(client, source), "unchanged");
    const changed = fileSource("files", source.stringConfig.topic, { "batch.size": "500" });
    assert.equal(await publishConnector(client, changed), "updated");
    assert.equal((await client.config("files"))?.["batch.size"], "500");
    const removal = defineConnector({ ...changed, markForRemoval: true });
    assert.equal(await publishConnector(client, removal), "deleted");
    // Connect forgets a deleted connector asynchronously.
    const deadline = Date.now() + 30_000;
    while (await client.status("files") !== undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(await client.status("files"), undefined);
    assert.equal(await publishConnector(client, removal), "absent");
  } finally {
    await client.delete("files");
  }
});

test(
  "validate returns each field's errors from the connector plugin",
  { timeout: 60_000 },
  async () => {
    const client = new ConnectClient({ url: kafkaConnectUrl() });
    const ok = await client.validate(fileSource("v", "some-topic").stringConfig);
    assert.equal(ok.errorCount, 0);
    assert.deepEqual(ok.fields, []);
    const bad = await client.validate({
      "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
      "tasks.max": "zero",
    });
    assert.ok(bad.errorCount >= 1);
    const tasksMax = bad.fields.find((field) => field.name === "tasks.max");
    assert.ok(tasksMax, JSON.stringify(bad.fields));
    assert.match(tasksMax.errors.join(" "), /zero/);
  },
);

test("a URL with a path, basic auth from the URL, retries on 503, secrets kept out of errors", {
  timeout: 60_000,
}, async () => {
  const proxy = await flakyProxy(proxyPort, { failFirst: 2, auth: "ops:s3cr3t-pw" });
  try {
    const client = new ConnectClient({
      url: `http://ops:s3cr3t-pw@127.0.0.1:${proxyPort}/base/`,
      retries: 3,
      retryDelayMs: 20,
    });
    assert.equal(client.url, `http://127.0.0.1:${proxyPort}/base`);
    const info = await client.info();
    assert.match(info.version, /^\d+\.\d+/);
    assert.deepEqual(proxy.seen.map((r) => r.status), [503, 503, 200]);

    proxy.failNext(10);
    const impatient = new ConnectClient({
      url: `http://127.0.0.1:${proxyPort}/base`,
      basicAuth: "ops:s3cr3t-pw",
      retries: 1,
      retryDelayMs: 20,
    });
    const failure = await impatient.connectors().then(() => undefined, (e) => e);
    assert.ok(failure instanceof ConnectError);
    assert.equal(failure.status, 503);
    assert.doesNotMatch(failure.message, /s3cr3t/);

    proxy.failNext(0);
    const wrong = new ConnectClient({
      url: `http://127.0.0.1:${proxyPort}/base`,
      basicAuth: "ops:nope",
    });
    const refused = await wrong.connectors().then(() => undefined, (e) => e);
    assert.ok(refused instanceof ConnectError);
    assert.equal(refused.status, 401);
    assert.doesNotMatch(refused.message, /nope/);

    // A config's secret never appears in what the client reports about it.
    proxy.failNext(10);
    const failing = await impatient.putConfig("leaky", {
      "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
      "database.password": "hunter2-secret",
    }).then(() => undefined, (e) => e);
    assert.ok(failing instanceof ConnectError);
    assert.doesNotMatch(String(failing.message), /hunter2-secret/);
  } finally {
    await proxy.close();
  }
});

test("an unreachable worker fails within the retries, naming the URL; a bad URL is a ConfigError", {
  timeout: 60_000,
}, async () => {
  const client = new ConnectClient({ url: "http://127.0.0.1:45449", retries: 2, retryDelayMs: 10 });
  const failure = await client.connectors().then(() => undefined, (e) => e);
  assert.ok(failure instanceof ConnectError);
  assert.equal(failure.status, undefined);
  assert.match(
    failure.message,
    /127\.0\.0\.1:45449 did not answer GET \/connectors after 3 attempts/,
  );
  assert.throws(() => new ConnectClient({ url: "not a url" }), ConfigError);
});

test("connect({ connect }) gives the connection a Connect client, created once", {
  timeout: 60_000,
}, async () => {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    connect: { url: `${kafkaConnectUrl()}/`, namePrefix: "team-a." },
  });
  const client = connection.kafkaConnect();
  assert.equal(client, connection.kafkaConnect());
  assert.equal(client.url, kafkaConnectUrl().replace(/\/+$/, ""));
  assert.equal(client.fullName("orders"), "team-a.orders");
  assert.ok(Array.isArray(await client.connectors()));
});
