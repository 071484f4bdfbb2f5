/**
 * Retry and dead-letter routing as unit tests on the in-process memory
 * transport (a product feature; the same routing runs against the real broker
 * in loop.test.ts, retry_on.test.ts and model_poison.test.ts): topic names,
 * headers, confirmed forwarding, retry topics then the dead letter topic.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { FailureRoutes, retryTopicDelays } from "../../src/loop/failure_routing.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { Latch } from "../../src/loop/latch.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { createMemoryTransport } from "../../src/transport/memory/mod.ts";
import type { IncomingMessage } from "../../src/transport/types.ts";
import { encode, type Item, jsonModel, quiet, readAll, seed, until } from "./loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });
const memory = () =>
  createMemoryTransport({ bootstrapServers: `memory://${uniqueName("routes")}` });

test(
  "routes: retry topic names and delays are built once from the options",
  { timeout: 60_000 },
  () => {
    assert.deepEqual(retryTopicDelays(undefined), []);
    assert.deepEqual(retryTopicDelays(true), [1_000, 10_000, 60_000]);
    assert.deepEqual(retryTopicDelays({ attempts: 4, delaysMs: [5, 50] }), [5, 50, 50, 50]);
    const routes = new FailureRoutes("g", "orders", { retryTopics: { delaysMs: [5, 50] } });
    assert.deepEqual(routes.retryTopics, ["g.orders.retry.1", "g.orders.retry.2"]);
    assert.deepEqual(routes.retryTopic(2), { topic: "g.orders.retry.2", delayMs: 50 });
    assert.equal(routes.retryTopic(3), undefined, "past the last attempt: the dead letter topic");
    assert.equal(routes.deadLetterTopic, undefined);
    assert.deepEqual(new FailureRoutes("g", "orders", { deadLetter: true }).topics, [
      "g.orders.dlt",
    ]);
    assert.equal(
      new FailureRoutes("g", "orders", { deadLetter: { topic: "dead" } }).deadLetterTopic,
      "dead",
    );
  },
);

test("routes: forwarding writes the original bytes and partition with the new headers", {
  timeout: 60_000,
}, async () => {
  const transport = memory();
  try {
    const { topic } = await seed(transport, "fwd", 1, 1, 2);
    const routes = new FailureRoutes("g", topic, { deadLetter: true });
    await routes.open(transport, topic, settings);
    const message: IncomingMessage = {
      topic,
      partition: 1,
      offset: 0,
      key: encode("k"),
      value: encode("raw bytes"),
      headers: [],
      timestamp: 1_234,
    };
    const sent = await routes.forward(
      message,
      "g." + topic + ".dlt",
      [
        ["why", encode("test")],
      ],
      new Latch(),
      quiet,
    );
    assert.equal(sent, true);
    await routes.close();
    const [dead] = await readAll(transport, `g.${topic}.dlt`, 1, 5_000);
    assert.equal(new TextDecoder().decode(dead.value!), "raw bytes");
    assert.equal(dead.partition, 1);
    assert.equal(headerText(dead.headers, "why"), "test");
  } finally {
    await transport.close();
  }
});

test("routes: a failing handler goes through each retry topic, then the dead letter topic", {
  timeout: 60_000,
}, async () => {
  const transport = memory();
  try {
    const { topic, group } = await seed(transport, "retry", 6, 3, 2);
    const attempts = new Map<number, number[]>();
    const loop = new ConsumerLoop<Item>({
      model: jsonModel(transport, topic, group),
      handler: (item, ctx) => {
        attempts.set(item.id, [...(attempts.get(item.id) ?? []), ctx.attempt]);
        if (item.id % 3 === 0) throw new TypeError(`bad ${item.id}`);
      },
      settings,
      retryTopics: { delaysMs: [10, 20] },
      deadLetter: true,
      handleSignals: false,
      logger: quiet,
    });
    const running = loop.run();
    await until(() => loop.stats.processed === 4 && loop.stats.deadLettered === 2, 20_000, "all");
    loop.stop();
    await running;
    assert.deepEqual(attempts.get(0), [1, 2, 3], "the first try, then one per retry topic");
    assert.deepEqual(attempts.get(1), [1]);
    assert.equal(loop.stats.retried, 4);
    const dead = await readAll(transport, `${group}.${topic}.dlt`, 2, 5_000);
    assert.equal(dead.length, 2);
    for (const message of dead) {
      assert.equal(headerText(message.headers, "origin"), "seed", "user headers kept");
      assert.equal(headerText(message.headers, FailureHeader.attempt), "3");
      assert.equal(headerText(message.headers, FailureHeader.errorClass), "TypeError");
      assert.equal(headerText(message.headers, FailureHeader.originalTopic), topic);
      assert.equal(headerText(message.headers, FailureHeader.retryDue), undefined);
    }
    const retried = await readAll(transport, `${group}.${topic}.retry.2`, 2, 5_000);
    assert.equal(retried.length, 2);
    assert.equal(headerText(retried[0].headers, FailureHeader.attempt), "2");
    assert.ok(Number(headerText(retried[0].headers, FailureHeader.retryDue)) > 0);
  } finally {
    await transport.close();
  }
});

test("routes: blocking retries, then poison and exhausted messages in the dead letter topic", {
  timeout: 60_000,
}, async () => {
  const transport = memory();
  try {
    const { topic, group } = await seed(transport, "blocking", 4, 2, 1);
    const producer = await transport.producer();
    await producer.send([{ topic, key: null, value: encode("{not json"), headers: [] }]);
    await producer.close();
    const errors: string[] = [];
    const dead: number[] = [];
    const loop = new ConsumerLoop<Item>({
      model: jsonModel(transport, topic, group),
      handler: (item) => {
        if (item.id === 2) throw new RangeError("always");
      },
      onError: (error) => void errors.push((error as Error).name),
      onDeadLetter: (raw) => void dead.push(raw.offset),
      settings,
      maxRetries: 2,
      retryDelayMs: 5,
      deadLetter: true,
      handleSignals: false,
      logger: quiet,
    });
    const running = loop.run();
    await until(() => loop.stats.processed === 3 && loop.stats.deadLettered === 2, 20_000, "all");
    loop.stop();
    await running;
    assert.equal(loop.stats.retried, 2);
    assert.deepEqual(dead.sort(), [2, 4]);
    assert.deepEqual(errors.sort(), ["DeserializationError", "RangeError"]);
    const admin = await transport.admin();
    const committed = await admin.groupOffsets(group);
    await admin.close();
    assert.deepEqual(committed.map((o) => o.offset), [5], "every offset committed");
  } finally {
    await transport.close();
  }
});
