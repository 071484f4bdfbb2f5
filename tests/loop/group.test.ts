/** The loop as a group member: long handlers keep it in the group, a rebalance keeps finished work. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn, uniqueName } from "../support.ts";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { LongRunningSettings, RealTimeSettings } from "../../src/profiles/profiles.ts";
import {
  committedTotal,
  encode,
  type Item,
  jsonModel,
  loopTransport,
  quiet,
  seed,
  until,
  watched,
} from "./loop_support.ts";

const broker = ["node", "deno", "bun"] as const;
// The broker's smallest session (group.min.session.timeout.ms); max.poll.interval.ms may not be shorter.
const shortGroup = {
  "auto.offset.reset": "earliest",
  "session.timeout.ms": 6_000,
  "heartbeat.interval.ms": 500,
};

if (runsOn(broker)) {
  test(
    "a handler longer than max.poll.interval.ms: partition paused, member stays, committed once",
    { timeout: 60_000 },
    async () => {
      const { transport, watch } = watched(await loopTransport());
      const { topic, group } = await seed(transport, "loop-long", 3, 1, 1);
      const calls: number[] = [];
      const loop = new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: async (item) => {
          calls.push(item.id);
          if (item.id === 0) await new Promise((resolve) => setTimeout(resolve, 9_000));
        },
        settings: LongRunningSettings({
          consumer: { ...shortGroup, "max.poll.interval.ms": 6_000 },
        }),
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(() => loop.stats.processed === 3, 30_000, "3 handled");
      const rebalances = watch.rebalances.map((event) => event.type);
      loop.stop();
      await running;
      assert.deepEqual(calls, [0, 1, 2], "each handled once");
      assert.ok(watch.paused.length > 0, "the partition was paused while the handler ran");
      assert.deepEqual(rebalances, ["assign"], "never revoked: the member stayed in its group");
      assert.equal(await committedTotal(transport, group), 3);
      await transport.close();
    },
  );
}

if (runsOn(broker)) {
  test("a revoke commits the finished offsets: a second member redelivers none of them", {
    timeout: 60_000,
  }, async () => {
    const base = await loopTransport();
    const { topic, group } = await seed(base, "loop-revoke", 100, 10, 2);
    // Commits only on a revoke or stop within this test.
    const lazy = RealTimeSettings({
      consumer: shortGroup,
      commitIntervalMs: 600_000,
      commitEvery: 1_000_000,
    });
    const byFirst: number[] = [];
    const bySecond: number[] = [];
    const first = new AsyncConsumerLoop<Item>({
      model: jsonModel(base, topic, group),
      handler: (item) => void byFirst.push(item.id),
      settings: lazy,
      handleSignals: false,
      logger: quiet,
    });
    const firstRun = first.run();
    await until(() => byFirst.length >= 100, 30_000, "first member handles 100");
    assert.equal(await committedTotal(base, group), 0, "nothing committed before the rebalance");

    const { transport, watch } = watched(base);
    const second = new AsyncConsumerLoop<Item>({
      model: jsonModel(transport, topic, group),
      handler: (item) => void bySecond.push(item.id),
      settings: lazy,
      handleSignals: false,
      logger: quiet,
    });
    const secondRun = second.run();
    await until(
      () => watch.rebalances.some((e) => e.type === "assign" && e.partitions.length > 0),
      30_000,
      "second member assigned",
    );
    const producer = await base.producer();
    await producer.send(Array.from({ length: 20 }, (_, i) => ({
      topic,
      key: encode(uniqueName("k")),
      value: encode(JSON.stringify({ id: 100 + i, key: "new" })),
    })));
    await producer.close();
    await until(
      () => new Set([...byFirst, ...bySecond]).size >= 120,
      30_000,
      "all 120 handled",
    );
    first.stop();
    second.stop();
    await Promise.all([firstRun, secondRun]);
    const all = [...byFirst, ...bySecond];
    assert.ok(bySecond.length > 0, "the second member got a partition");
    assert.deepEqual(bySecond.filter((id) => id < 100), [], "no finished message redelivered");
    assert.equal(all.length, 120, "no message handled twice");
    assert.equal(await committedTotal(base, group), 120);
    await base.close();
  });
}

if (runsOn(broker)) {
  test(
    "the KIP-848 group protocol: two loops with a classic profile share the work, all committed",
    { timeout: 90_000 },
    async () => {
      const transport = await loopTransport();
      const { topic, group } = await seed(transport, "loop-kip848", 200, 20, 4);
      const handled: number[][] = [[], []];
      // The profile's session.timeout.ms and heartbeat.interval.ms are the classic
      // protocol's: the transports leave them out under group.protocol=consumer.
      const settings = RealTimeSettings({
        consumer: { ...shortGroup, "group.protocol": "consumer" },
      });
      const loops = handled.map((ids) =>
        new ConsumerLoop<Item>({
          model: jsonModel(transport, topic, group),
          handler: (item) => void ids.push(item.id),
          settings,
          handleSignals: false,
          logger: quiet,
        })
      );
      const runs = loops.map((loop) => loop.run());
      await until(() => new Set(handled.flat()).size === 200, 60_000, "200 handled");
      for (const loop of loops) loop.stop();
      await Promise.all(runs);
      assert.equal(new Set(handled.flat()).size, 200);
      assert.equal(await committedTotal(transport, group), 200);
      await transport.close();
    },
  );
}
