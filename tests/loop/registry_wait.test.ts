/**
 * A Schema Registry that does not answer is waited out, never a reason to dead-letter: loops
 * and consume() pause, retry until it answers, log the outage once, and commit nothing past a
 * message still waiting. The real registry sits behind a fetch that fails while `down` is set.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { RegistryError } from "../../src/errors.ts";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { committedTotal, until } from "./loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });
const Reading = v.object({ sensor: v.string(), celsius: v.number() });

type Failure = "network" | 503 | 429 | 401;

/** A registry whose requests fail the way `failure` says while `state.down` holds. */
function flakyConnection(
  state: { down: boolean },
  failure: Failure = "network",
  kafka?: Record<string, number>,
  logger?: ReturnType<typeof recordingLogger>["logger"],
) {
  const flaky: typeof fetch = (input, init) => {
    if (!state.down) return fetch(input, init);
    if (failure === "network") return Promise.reject(new TypeError("connection refused"));
    return Promise.resolve(new Response('{"message":"unavailable"}', { status: failure }));
  };
  return new Connection({
    bootstrapServers: kafkaBootstrap(),
    registry: new SchemaRegistryClient({ url: registryUrl(), fetch: flaky, retries: 0 }),
    kafka,
    logger,
  });
}

/** Writes `count` readings with the real registry; returns a reader model on a flaky one. */
async function seeded(
  count: number,
  state: { down: boolean },
  failure?: Failure,
  partitions = 1,
  kafka?: Record<string, number>,
  logger?: ReturnType<typeof recordingLogger>["logger"],
) {
  const topic = uniqueName("sr-wait");
  const group = uniqueName("sr-wait-g");
  const healthy = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const Writer = defineModel("Reading", Reading, {
    topic,
    consumerGroup: group,
    keyField: "sensor",
    connection: healthy,
  });
  await Writer.ensureTopic({ partitions });
  await Writer.produceMany(
    Array.from({ length: count }, (_, i) => ({ sensor: `s${i % 5}`, celsius: i })),
  );
  await healthy.close();
  const reader = flakyConnection(state, failure, kafka, logger);
  return { topic, group, reader, Reader: Writer.withConnection(reader) };
}

function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, logger: { info: log("info"), warn: log("warn"), error: log("error") } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const kind of ["ConsumerLoop", "AsyncConsumerLoop"] as const) {
  test(`${kind}: messages wait for a registry that does not answer, none is dead-lettered`, {
    timeout: 150_000,
  }, async () => {
    const state = { down: true };
    const { Reader, reader } = await seeded(
      12,
      state,
      kind === "ConsumerLoop" ? "network" : 503,
      3,
    );
    const handled: number[] = [];
    const { lines, logger } = recordingLogger();
    const options = {
      model: Reader,
      handler: (value: { celsius: number }) => void handled.push(value.celsius),
      settings,
      deadLetter: true as const,
      handleSignals: false,
      logger,
    };
    const loop = kind === "ConsumerLoop"
      ? new ConsumerLoop(options)
      : new AsyncConsumerLoop({ ...options, maxConcurrent: 6 });
    const running = loop.run();
    try {
      await until(() => loop.stats.waitingForRegistry > 0, 60_000, "a message waiting");
      await sleep(2_000);
      assert.deepEqual(handled, [], "nothing is handled while the registry is down");
      assert.equal(loop.stats.deadLettered, 0);
      assert.ok(loop.stats.waitingForRegistry > 0, "stats show the waiting");
      state.down = false;
      await until(() => handled.length === 12, 60_000, "every message after the outage");
    } finally {
      loop.stop();
      await running;
      await reader.close();
    }
    assert.deepEqual(handled.sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i));
    assert.equal(loop.stats.deadLettered, 0);
    assert.equal(loop.stats.waitingForRegistry, 0);
    assert.equal(lines.filter((l) => l.includes("did not answer")).length, 1, lines.join("\n"));
    assert.equal(lines.filter((l) => l.includes("answers again")).length, 1, lines.join("\n"));
    assert.ok(!lines.some((l) => l.startsWith("warn dead-lettered")), lines.join("\n"));
  });
}

test("a stop while waiting commits nothing; the next run handles every message", {
  timeout: 150_000,
}, async () => {
  const state = { down: true };
  const { Reader, reader, group } = await seeded(4, state);
  const loop = new ConsumerLoop({
    model: Reader,
    handler: () => {},
    settings,
    deadLetter: true,
    handleSignals: false,
    logger: recordingLogger().logger,
  });
  const running = loop.run();
  await until(() => loop.stats.waitingForRegistry > 0, 60_000, "a message waiting");
  loop.stop();
  await running;
  assert.equal(loop.stats.deadLettered, 0);
  const transport = await reader.transport();
  assert.equal(await committedTotal(transport, group), 0, "no offset committed");
  state.down = false;
  const handled: number[] = [];
  const again = new ConsumerLoop({
    model: Reader,
    handler: (value) => void handled.push(value.celsius),
    settings,
    handleSignals: false,
    logger: recordingLogger().logger,
  });
  const rerun = again.run();
  await until(() => handled.length === 4, 60_000, "every message");
  again.stop();
  await rerun;
  await reader.close();
  assert.deepEqual(handled, [0, 1, 2, 3]);
});

test(
  "past maxRegistryWaitMs, or on an answer like HTTP 401, the loop stops with the error and commits nothing",
  { timeout: 150_000 },
  async () => {
    for (const failure of ["network", 401] as const) {
      const state = { down: true };
      const { Reader, reader, group } = await seeded(3, state, failure);
      const { lines, logger } = recordingLogger();
      const loop = new ConsumerLoop({
        model: Reader,
        handler: () => {},
        settings,
        deadLetter: true,
        maxRegistryWaitMs: 1_500,
        handleSignals: false,
        logger,
      });
      await assert.rejects(
        loop.run(),
        (e) =>
          e instanceof RegistryError &&
          (failure === 401 ? e.status === 401 && !e.transient : e.transient),
      );
      assert.equal(loop.stats.deadLettered, 0, lines.join("\n"));
      assert.equal(await committedTotal(await reader.transport(), group), 0);
      await reader.close();
    }
  },
);

test(
  "consume() waits for the registry, polling with its partitions paused, and stays in its group",
  { timeout: 150_000 },
  async () => {
    const state = { down: true };
    // An outage longer than max.poll.interval.ms: without polling meanwhile, the consumer
    // would be put out of its group and its commits refused.
    const { lines, logger } = recordingLogger();
    const { Reader, reader, group } = await seeded(3, state, 429, 1, {
      "max.poll.interval.ms": 6_000,
      "session.timeout.ms": 6_000,
    }, logger);
    setTimeout(() => state.down = false, 10_000);
    const seen: number[] = [];
    const started = Date.now();
    for await (const message of Reader.consume({ fromBeginning: true })) {
      assert.ok(!message.tombstone);
      seen.push(message.value.celsius);
      await message.commit();
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, [0, 1, 2]);
    assert.ok(Date.now() - started >= 10_000, "it waited for the registry");
    assert.equal(await committedTotal(await reader.transport(), group), 3, "its commits count");
    // The connection's logger heard of the outage once, not once per message or retry.
    assert.equal(lines.filter((l) => l.includes("did not answer")).length, 1, lines.join("\n"));
    assert.equal(lines.filter((l) => l.includes("answers again")).length, 1, lines.join("\n"));
    // Bounded: the registry's error after maxRegistryWaitMs.
    state.down = true;
    const other = await seeded(1, state, 503);
    await assert.rejects(
      (async () => {
        for await (
          const _ of other.Reader.consume({ fromBeginning: true, maxRegistryWaitMs: 1_000 })
        ) {
          break;
        }
      })(),
      (e) => e instanceof RegistryError && e.transient,
    );
    await other.reader.close();
    await reader.close();
  },
);
