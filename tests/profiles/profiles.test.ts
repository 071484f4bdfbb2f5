import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, uniqueName } from "../support.ts";
import {
  BatchSettings,
  HighThroughputSettings,
  LongRunningSettings,
  RealTimeSettings,
  ReliableSettings,
} from "../../src/profiles/profiles.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { ConfigError } from "../../src/errors.ts";
import type { LoopSettings } from "../../src/profiles/settings.ts";
import { type Item, jsonModel, loopTransport, quiet, seed, until } from "../loop/loop_support.ts";

const profiles: Record<string, () => LoopSettings> = {
  LongRunningSettings,
  BatchSettings,
  RealTimeSettings,
  HighThroughputSettings,
  ReliableSettings,
};
const ffi = ["deno", "bun"] as const;

test("profiles merge overrides key by key", { timeout: 60_000 }, () => {
  const settings = BatchSettings({ consumer: { "fetch.wait.max.ms": 50 }, pollBatchSize: 7 });
  assert.equal(settings.consumer["fetch.wait.max.ms"], 50);
  assert.equal(settings.consumer["fetch.min.bytes"], 1_048_576);
  assert.equal(settings.pollBatchSize, 7);
  assert.equal(HighThroughputSettings().commitStrategy, "beforeProcessing");
  for (
    const name of ["LongRunningSettings", "BatchSettings", "RealTimeSettings", "ReliableSettings"]
  ) {
    assert.equal(profiles[name]().commitStrategy, "afterProcessing", name);
  }
});

test("every profile bounds librdkafka's prefetch queue below its 64 MiB default", {
  timeout: 60_000,
}, () => {
  for (const [name, profile] of Object.entries(profiles)) {
    const bound = profile().consumer["queued.max.messages.kbytes"];
    assert.equal(typeof bound, "number", name);
    assert.ok((bound as number) >= 1_024 && (bound as number) < 65_536, `${name}: ${bound}`);
    // With a bounded queue librdkafka's 1 s fetch backoff would leave it empty between fetches.
    assert.equal(profile().consumer["fetch.queue.backoff.ms"], 10, name);
  }
  // A user's own bound still wins, key by key.
  const mine = BatchSettings({ consumer: { "queued.max.messages.kbytes": 65_536 } });
  assert.equal(mine.consumer["queued.max.messages.kbytes"], 65_536);
  assert.equal(mine.consumer["fetch.min.bytes"], 1_048_576);
});

if (runsOn(ffi)) {
  test(
    "librdkafka accepts every profile and refuses an unknown name",
    { timeout: 60_000 },
    async () => {
      const transport = await loopTransport();
      for (const [name, profile] of Object.entries(profiles)) {
        const settings = profile();
        const consumer = await transport.consumer({
          groupId: uniqueName("profile"),
          properties: settings.consumer,
        });
        await consumer.close();
        const producer = await transport.producer(settings.producer);
        await producer.close();
        assert.ok(name);
      }
      await assert.rejects(
        transport.consumer({
          groupId: uniqueName("profile"),
          properties: { "no.such.property": 500 },
        }),
        ConfigError,
      );
      await transport.close();
    },
  );
}

if (runsOn(["node"])) {
  test(
    "no profile property draws a librdkafka configuration warning",
    { timeout: 60_000 },
    async () => {
      const moduleName = "@confluentinc/kafka-javascript";
      const { default: Kafka } = await import(moduleName);
      // deno-lint-ignore no-explicit-any -- the addon is untyped here, loaded by name on Node only
      const warnings = async (make: (conf: Record<string, unknown>) => any, properties: object) => {
        const logs: string[] = [];
        const client = make({
          "bootstrap.servers": kafkaBootstrap(),
          event_cb: true,
          ...properties,
        });
        client.on("event.log", (log: { severity: number; fac: string; message: string }) => {
          if (log.severity <= 4) logs.push(`${log.fac}: ${log.message}`);
        });
        await new Promise<void>((resolve, reject) =>
          client.connect({}, (error: unknown) => error ? reject(error) : resolve())
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        await new Promise((resolve) => client.disconnect(resolve));
        return logs;
      };
      const consumer = (conf: Record<string, unknown>) => new Kafka.KafkaConsumer(conf, {});
      const producer = (conf: Record<string, unknown>) => new Kafka.Producer(conf, {});
      // The check itself must be able to fail: a producer property on a consumer warns.
      assert.notDeepEqual(
        await warnings(consumer, { "group.id": uniqueName("p"), "linger.ms": 5 }),
        [],
      );
      for (const [name, profile] of Object.entries(profiles)) {
        const settings = profile();
        assert.deepEqual(
          await warnings(consumer, { "group.id": uniqueName("p"), ...settings.consumer }),
          [],
          name,
        );
        assert.deepEqual(await warnings(producer, settings.producer), [], name);
      }
    },
  );
}

/** Whether the group committed the blocked first message's offset while its handler was still running. */
async function committedWhileHandling(
  settings: LoopSettings,
): Promise<{ during: number; after: number }> {
  const transport = await loopTransport();
  const { topic, group } = await seed(transport, "profile-sem", 3, 1, 1);
  let release!: () => void;
  const blocked = new Promise<void>((resolve) => release = resolve);
  let handled = 0;
  const loop = new ConsumerLoop<Item>({
    model: jsonModel(transport, topic, group),
    handler: async (item) => {
      if (item.id === 0) await blocked;
      handled++;
    },
    settings: { ...settings, consumer: { ...settings.consumer, "auto.offset.reset": "earliest" } },
    handleSignals: false,
    logger: quiet,
  });
  const running = loop.run();
  const admin = await transport.admin();
  const offset = async () =>
    (await admin.groupOffsets(group)).reduce((sum, o) => sum + o.offset, 0);
  await until(() => loop.stats.inFlight > 0, 20_000, "first message");
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const during = await offset();
  release();
  await until(() => handled === 3, 10_000, "3 handled");
  loop.stop();
  await running;
  const after = await offset();
  await admin.close();
  await transport.close();
  return { during, after };
}

if (runsOn(ffi)) {
  test("HighThroughputSettings is at-most-once: offsets committed before handling", {
    timeout: 40_000,
  }, async () => {
    const { during, after } = await committedWhileHandling(HighThroughputSettings());
    assert.equal(during, 3);
    assert.equal(after, 3);
  });
}

if (runsOn(ffi)) {
  test("ReliableSettings is at-least-once: nothing committed while the handler runs", {
    timeout: 40_000,
  }, async () => {
    const { during, after } = await committedWhileHandling(ReliableSettings());
    assert.equal(during, 0);
    assert.equal(after, 3);
  });
}
