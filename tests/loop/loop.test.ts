import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn } from "../support.ts";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import {
  encode,
  type Item,
  jsonModel,
  loopTransport,
  quiet,
  readAll,
  seed,
  until,
} from "./loop_support.ts";

const broker = ["node", "deno", "bun"] as const;
const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });

if (runsOn(broker)) {
  test("1 in 10 handler failures: every message handled or dead-lettered, loop keeps going", {
    timeout: 60_000,
  }, async () => {
    const transport = await loopTransport();
    const { topic, group } = await seed(transport, "loop-fail", 100);
    const handled = new Set<number>();
    const loop = new ConsumerLoop<Item>({
      model: jsonModel(transport, topic, group),
      handler: (item) => {
        if (item.id % 10 === 3) throw new RangeError(`bad ${item.id}`);
        handled.add(item.id);
      },
      settings,
      maxRetries: 1,
      retryDelayMs: 10,
      deadLetter: true,
      handleSignals: false,
      logger: quiet,
    });
    const running = loop.run();
    await until(
      () => loop.stats.processed + loop.stats.deadLettered >= 100,
      40_000,
      "100 messages",
    );
    loop.stop();
    await running;
    assert.equal(handled.size, 90);
    assert.equal(loop.stats.deadLettered, 10);
    assert.equal(loop.stats.retried, 10);
    const dead = await readAll(transport, `${group}.${topic}.dlt`, 10);
    const ids = dead.map((m) => JSON.parse(new TextDecoder().decode(m.value!)).id).sort((a, b) =>
      a - b
    );
    assert.deepEqual(ids, [3, 13, 23, 33, 43, 53, 63, 73, 83, 93]);
    const first = dead[0];
    assert.equal(headerText(first.headers, "origin"), "seed");
    assert.equal(headerText(first.headers, FailureHeader.errorClass), "RangeError");
    assert.equal(headerText(first.headers, FailureHeader.originalTopic), topic);
    assert.equal(headerText(first.headers, FailureHeader.attempt), "2");
    const admin = await transport.admin();
    const committed = await admin.groupOffsets(group);
    await admin.close();
    assert.equal(committed.reduce((sum, o) => sum + o.offset, 0), 100, "all 100 offsets committed");
    await transport.close();
  });
}

if (runsOn(broker)) {
  test(
    "poison messages go to the DLT without retries, bytes untouched",
    { timeout: 45_000 },
    async () => {
      const transport = await loopTransport();
      const { topic, group } = await seed(transport, "loop-poison", 5, 5, 1);
      const producer = await transport.producer();
      const poison = [encode("not json"), new Uint8Array([0, 0, 0, 0, 9, 1]), encode('{"id":"x"}')];
      await producer.send(poison.map((value) => ({ topic, key: encode("p"), value })));
      await producer.close();
      let handled = 0;
      const loop = new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: () => void handled++,
        settings,
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(() => handled + loop.stats.deadLettered >= 8, 30_000, "8 messages");
      loop.stop();
      await running;
      assert.equal(handled, 5);
      assert.equal(loop.stats.retried, 0);
      const dead = await readAll(transport, `${group}.${topic}.dlt`, 3);
      assert.deepEqual(dead.map((m) => [...m.value!]), poison.map((p) => [...p]));
      for (const m of dead) {
        assert.equal(headerText(m.headers, FailureHeader.errorClass), "DeserializationError");
        assert.equal(headerText(m.headers, FailureHeader.originalPartition), "0");
        assert.ok(headerText(m.headers, FailureHeader.originalOffset));
      }
      await transport.close();
    },
  );
}

if (runsOn(broker)) {
  test(
    "retry topics: failures pass through retry.1, retry.2 then the DLT",
    { timeout: 60_000 },
    async () => {
      const transport = await loopTransport();
      const { topic, group } = await seed(transport, "loop-retry", 20, 5, 2);
      const attempts = new Map<number, number[]>();
      const loop = new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (item, ctx) => {
          attempts.set(item.id, [...(attempts.get(item.id) ?? []), ctx.attempt]);
          if (item.id === 4 && ctx.attempt < 3) throw new Error("transient");
          if (item.id === 7) throw new Error("permanent");
        },
        settings,
        retryTopics: { attempts: 2, delaysMs: [200, 200] },
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(
        () => loop.stats.processed >= 19 && loop.stats.deadLettered >= 1,
        40_000,
        "retries",
      );
      loop.stop();
      await running;
      assert.deepEqual(attempts.get(4), [1, 2, 3]);
      assert.deepEqual(attempts.get(7), [1, 2, 3]);
      const dead = await readAll(transport, `${group}.${topic}.dlt`, 1);
      assert.equal(headerText(dead[0].headers, FailureHeader.originalTopic), topic);
      assert.equal(headerText(dead[0].headers, FailureHeader.attempt), "3");
      await transport.close();
    },
  );
}

if (runsOn(broker)) {
  test(
    "AsyncConsumerLoop(20) runs up to 20 handlers at once, ConsumerLoop one, each key in order",
    {
      timeout: 60_000,
    },
    async () => {
      const transport = await loopTransport();
      /** The most handlers ever running at once (50 ms each), checking that no key ever runs twice at once or out of order. */
      const peakConcurrency = async (
        count: number,
        keys: number,
        run: number,
        make: (
          topic: string,
          group: string,
          handler: (item: Item) => Promise<void>,
        ) => ConsumerLoop<Item>,
      ) => {
        const { topic, group } = await seed(transport, "loop-speed", count, keys, 3, run);
        const startOrder = new Map<string, number[]>();
        const running = new Set<string>();
        let overlaps = 0;
        let done = 0;
        let peak = 0;
        const loop = make(topic, group, async (item) => {
          if (running.has(item.key)) overlaps++;
          running.add(item.key);
          peak = Math.max(peak, running.size);
          startOrder.set(item.key, [...(startOrder.get(item.key) ?? []), item.id]);
          await new Promise((resolve) => setTimeout(resolve, 50));
          running.delete(item.key);
          done++;
        });
        const stopped = loop.run();
        await until(() => done >= count, 60_000, "all messages");
        loop.stop();
        await stopped;
        assert.equal(overlaps, 0, "two handlers of one key ran at once");
        for (const [key, ids] of startOrder) {
          assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `key ${key} in order`);
        }
        return peak;
      };
      const serial = await peakConcurrency(60, 10, 1, (topic, group, handler) =>
        new ConsumerLoop({
          model: jsonModel(transport, topic, group),
          handler,
          settings,
          handleSignals: false,
          logger: quiet,
        }));
      // Keys come in runs of 3 messages, so order is at stake in every poll, and 100 keys
      // (about 33 a partition) are enough to keep 20 handlers busy.
      const parallel = await peakConcurrency(
        600,
        100,
        3,
        (topic, group, handler) =>
          new AsyncConsumerLoop({
            model: jsonModel(transport, topic, group),
            handler,
            settings,
            maxConcurrent: 20,
            handleSignals: false,
            logger: quiet,
          }),
      );
      // Counted, not timed: the speed-up itself is the benchmark's to measure.
      assert.equal(serial, 1, "ConsumerLoop ran handlers in parallel");
      assert.ok(parallel <= 20, `${parallel} handlers ran at once, above maxConcurrent 20`);
      assert.ok(parallel >= 10, `at most ${parallel} handlers ran at once with 100 keys waiting`);
      await transport.close();
    },
  );
}
