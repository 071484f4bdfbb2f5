import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../../src/errors.ts";
import { resolveConsumerConfig } from "../../../src/transport/common/consumer_config.ts";

const cluster = { bootstrapServers: "127.0.0.1:9092" };

test("consumer config: a new group starts at latest; fromBeginning means earliest", {
  timeout: 60_000,
}, () => {
  const plain = resolveConsumerConfig(cluster, { groupId: "g" });
  assert.equal(plain.startAt, "latest");
  assert.equal(plain.properties["auto.offset.reset"], "latest");
  assert.equal(plain.properties["group.id"], "g");
  assert.equal(plain.properties["bootstrap.servers"], "127.0.0.1:9092");
  assert.equal(plain.properties["enable.auto.commit"], false);
  assert.equal(
    resolveConsumerConfig(cluster, { groupId: "g", fromBeginning: true }).startAt,
    "earliest",
  );
});

test(
  "consumer config: the call beats the user, the user beats the profile",
  { timeout: 60_000 },
  () => {
    const user = { ...cluster, properties: { "auto.offset.reset": "smallest" } };
    assert.equal(resolveConsumerConfig(user, { groupId: "g" }).startAt, "earliest");
    assert.equal(
      resolveConsumerConfig(user, { groupId: "g", properties: { "auto.offset.reset": "latest" } })
        .startAt,
      "earliest",
    );
    assert.equal(
      resolveConsumerConfig(user, { groupId: "g", fromBeginning: false }).startAt,
      "latest",
    );
  },
);

test("consumer config: cooperative from the strategy or KIP-848, whose classic settings go", {
  timeout: 60_000,
}, () => {
  assert.equal(resolveConsumerConfig(cluster, { groupId: "g" }).cooperative, false);
  const sticky = resolveConsumerConfig(
    { ...cluster, properties: { "partition.assignment.strategy": "cooperative-sticky" } },
    { groupId: "g" },
  );
  assert.equal(sticky.cooperative, true);
  const kip848 = resolveConsumerConfig(cluster, {
    groupId: "g",
    properties: { "group.protocol": "consumer", "session.timeout.ms": 6000 },
  });
  assert.equal(kip848.cooperative, true);
  assert.equal(kip848.properties["session.timeout.ms"], undefined);
});

test("consumer config: no group id, or auto commit switched on, is a ConfigError", {
  timeout: 60_000,
}, () => {
  assert.throws(() => resolveConsumerConfig(cluster, { groupId: " " }), ConfigError);
  assert.throws(
    () =>
      resolveConsumerConfig(cluster, { groupId: "g", properties: { "enable.auto.commit": true } }),
    ConfigError,
  );
});

test(
  "consumer config: a full fetch queue is refilled after 10 ms, not librdkafka's 1 s, unless the user says",
  { timeout: 60_000 },
  () => {
    assert.equal(
      resolveConsumerConfig(cluster, { groupId: "g" }).properties["fetch.queue.backoff.ms"],
      10,
    );
    const user = { ...cluster, properties: { "fetch.queue.backoff.ms": 250 } };
    assert.equal(
      resolveConsumerConfig(user, { groupId: "g" }).properties["fetch.queue.backoff.ms"],
      250,
    );
  },
);
