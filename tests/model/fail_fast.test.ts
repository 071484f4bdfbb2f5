/**
 * Fail fast, name the culprit: with no broker at the address, every operation
 * fails within the connect timeout (default 15 s) with a TransportError that
 * names the address; consuming a topic that does not exist fails naming the
 * topic and suggesting ensureTopic(), on the real broker and on memory://.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { TransportError } from "../../src/errors.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { defineModel } from "../../src/model/define_model.ts";
import type { Logger } from "../../src/transport/logging.ts";

const Ping = v.object({ id: v.string() });
const wrongAddress = "127.0.0.1:1";
/** The limit, plus room for a contended CI machine to notice it. */
const limitMs = 15_000 + 10_000;

function model(bootstrapServers: string, logger?: Logger, connectTimeoutMs?: number) {
  const connection = new Connection({
    bootstrapServers,
    schemaRegistryUrl: `mock://${uniqueName("failfast")}`,
    logger,
    connectTimeoutMs,
  });
  const Model = defineModel("Ping", Ping, {
    topic: uniqueName("failfast"),
    keyField: "id",
    consumerGroup: uniqueName("failfast"),
    connection,
  });
  return { Model, connection };
}

/** Runs `operation` and returns its error and how long it took to fail. */
async function failure(operation: () => Promise<unknown>): Promise<[TransportError, number]> {
  const started = Date.now();
  try {
    await operation();
  } catch (error) {
    assert.ok(error instanceof TransportError, `a TransportError, got ${error}`);
    return [error, Date.now() - started];
  }
  return assert.fail("the operation succeeded");
}

/** A logger that keeps what it was told. */
function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => void lines.push(message);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

test(
  "no broker at 127.0.0.1:1: produce, produceMany, consume, consumeOne, ensureTopic and a loop fail within 15 s naming the address",
  { timeout: 90_000 },
  async () => {
    const logger = recorder();
    const { Model, connection } = model(wrongAddress, logger);
    const loop = new ConsumerLoop({ model: Model, handler: () => {}, handleSignals: false });
    try {
      // In parallel: each waits its own 15 s, so the whole test costs one wait.
      const results = await Promise.all([
        failure(() => Model.produce({ id: "a" })),
        failure(() => Model.produceMany([{ id: "a" }, { id: "b" }])),
        failure(async () => {
          for await (const _ of Model.consume()) break;
        }),
        failure(() => Model.consumeOne({ timeoutMs: 60_000 })),
        failure(() => Model.ensureTopic()),
        failure(() => loop.run()),
      ]);
      const names = ["produce", "produceMany", "consume", "consumeOne", "ensureTopic", "loop"];
      results.forEach(([error, ms], i) => {
        assert.ok(ms < limitMs, `${names[i]} failed after ${ms} ms`);
        assert.match(error.message, /no Kafka broker answered at 127\.0\.0\.1:1 within 15 s/);
        assert.match(error.message, /check that a broker runs there/);
        assert.equal(error.codeName, "_ALL_BROKERS_DOWN");
        // Each code appears once (issue #18).
        assert.equal(error.message.split("[_ALL_BROKERS_DOWN]").length, 2, error.message);
      });
      // librdkafka's repeated connection failures reach the logger once per state, not per retry.
      const refused = logger.lines.filter((line) => /Connection refused/.test(line));
      assert.ok(refused.length <= 30, `${refused.length} "Connection refused" lines`);
    } finally {
      await connection.close();
    }
  },
);

test(
  "consuming a topic that does not exist fails within the timeout naming it, on the broker and on memory://",
  { timeout: 90_000 },
  async () => {
    // The same connectTimeoutMs as above, set to 5 s here to keep the suite short.
    const broker = model(kafkaBootstrap(), undefined, 5_000);
    const memory = model(`memory://${uniqueName("failfast")}`, undefined, 5_000);
    try {
      const results = await Promise.all([
        failure(() => broker.Model.consumeOne()),
        failure(async () => {
          for await (const _ of broker.Model.consume()) break;
        }),
        failure(() =>
          new ConsumerLoop({ model: broker.Model, handler: () => {}, handleSignals: false }).run()
        ),
        failure(() => memory.Model.consumeOne()),
        failure(async () => {
          for await (const _ of memory.Model.consume()) break;
        }),
      ]);
      for (const [error, ms] of results) {
        assert.ok(ms < limitMs, `failed after ${ms} ms`);
        assert.ok(
          error.message.includes(`topic "${broker.Model.settings.topic}"`) ||
            error.message.includes(`topic "${memory.Model.settings.topic}"`),
          error.message,
        );
        assert.match(error.message, /does not exist \(waited \d+(\.\d)? s for it\)/);
        assert.match(error.message, /ensureTopic\(\)/);
        assert.equal(error.codeName, "UNKNOWN_TOPIC_OR_PART");
      }
    } finally {
      await broker.connection.close();
      await memory.connection.close();
    }
  },
);

test(
  "waitForTopic waits for the topic to be created, logging once",
  { timeout: 90_000 },
  async () => {
    const logger = recorder();
    const { Model, connection } = model(kafkaBootstrap(), logger);
    try {
      const consumed = Model.consumeOne({
        waitForTopic: true,
        fromBeginning: true,
        timeoutMs: 60_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await Model.ensureTopic();
      await Model.produce({ id: "late" });
      assert.deepEqual((await consumed)?.value, { id: "late" });
      const waits = logger.lines.filter((line) => line.startsWith("waiting for topic"));
      assert.deepEqual(waits, [`waiting for topic ${Model.settings.topic} to be created`]);
    } finally {
      await connection.close();
    }
  },
);
