/**
 * The per-stage runner alone, on the in-process memory transport (a product
 * feature; whole loops run against the real broker in the other loop tests):
 * key order under concurrency, commits of finished work, a clean stop, and
 * the `beforeProcessing` strategy.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { Latch } from "../../src/loop/latch.ts";
import type { ConsumerLoopOptions } from "../../src/loop/options.ts";
import { runStage } from "../../src/loop/stage_runner.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { createMemoryTransport } from "../../src/transport/memory/mod.ts";
import type { Transport, TransportConsumer } from "../../src/transport/types.ts";
import { encode, type Item, jsonModel, loopParts, seed, until } from "./loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });

function parts(
  transport: Transport,
  topic: string,
  group: string,
  options: Partial<ConsumerLoopOptions<Item>>,
) {
  return loopParts<Item>({
    model: jsonModel(transport, topic, group),
    handler: () => {},
    ...options,
  });
}

async function committed(transport: Transport, group: string): Promise<number> {
  const admin = await transport.admin();
  try {
    return (await admin.groupOffsets(group)).reduce((sum, o) => sum + o.offset, 0);
  } finally {
    await admin.close();
  }
}

test("stage: concurrent handlers keep each key's order; finished work is committed on stop", {
  timeout: 60_000,
}, async () => {
  const transport = createMemoryTransport({ bootstrapServers: `memory://${uniqueName("stage")}` });
  try {
    const { topic, group } = await seed(transport, "stage", 60, 6, 2, 3);
    const order = new Map<string, number[]>();
    let running = 0;
    let peak = 0;
    const loop = parts(transport, topic, group, {
      handler: async (item) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.set(item.key, [...(order.get(item.key) ?? []), item.id]);
        running--;
      },
    });
    let lag = -1;
    const stage = runStage(
      loop,
      { settings, concurrency: 4, reportLag: (l) => lag = l },
      transport,
      {
        groupId: group,
        topics: [topic],
        isRetry: false,
      },
    );
    await until(() => loop.stats.processed === 60, 20_000, "60 handled");
    loop.stopping.turnOn();
    await stage;
    assert.ok(peak > 1 && peak <= 4, `up to 4 handlers at once (peak ${peak})`);
    for (const [key, ids] of order) {
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `key ${key} in order`);
    }
    assert.equal(await committed(transport, group), 60, "every offset committed");
    assert.equal(loop.stats.inFlight, 0);
    assert.equal(lag, 0, "the final lag is reported");
  } finally {
    await transport.close();
  }
});

test("stage: beforeProcessing commits what it received before the handlers finish", {
  timeout: 60_000,
}, async () => {
  const transport = createMemoryTransport({ bootstrapServers: `memory://${uniqueName("stage")}` });
  try {
    const { topic, group } = await seed(transport, "early", 5, 5, 1);
    const release = new Latch();
    let started = 0;
    const loop = parts(transport, topic, group, {
      commitStrategy: "beforeProcessing",
      shutdownTimeoutMs: 100,
      handler: async (_item, ctx) => {
        started++;
        // Held until the test lets go, or until the loop aborts its signal on shutdown.
        await new Promise<void>((resolve) => {
          release.whenOn(resolve);
          ctx.signal.addEventListener("abort", () => resolve());
        });
      },
    });
    const stage = runStage(loop, { settings, concurrency: 5, reportLag: () => {} }, transport, {
      groupId: group,
      topics: [topic],
      isRetry: false,
    });
    await until(() => started === 5, 20_000, "5 handlers started");
    await until(() => loop.stats.processed === 0 && started === 5, 1_000, "none finished");
    const deadline = Date.now() + 10_000;
    while (await committed(transport, group) < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await committed(transport, group), 5, "committed while all 5 are running");
    loop.stopping.turnOn();
    await stage; // the handlers outlast shutdownTimeoutMs: their signals abort
    assert.equal(loop.aborting.on, true);
  } finally {
    await transport.close();
  }
});

test(
  "stage: a slow commit does not hold up consumption; stop waits for it, then commits the rest",
  {
    timeout: 60_000,
  },
  async () => {
    const transport = createMemoryTransport({
      bootstrapServers: `memory://${uniqueName("stage")}`,
    });
    try {
      const { topic, group } = await seed(transport, "slow-commit", 40, 4, 1);
      const held = new Latch();
      const commits: number[] = [];
      let holding = 0;
      // Every commit waits for the test until it lets go: the coordinator is slow.
      const slow: Transport = {
        name: transport.name,
        producer: (properties) => transport.producer(properties),
        admin: () => transport.admin(),
        close: () => transport.close(),
        consumer: async (options) => {
          const consumer: TransportConsumer = await transport.consumer(options);
          const commit = consumer.commit.bind(consumer);
          consumer.commit = async (offsets) => {
            holding++;
            await new Promise<void>((resolve) => held.whenOn(resolve));
            commits.push(offsets.reduce((sum, o) => sum + o.offset, 0));
            await commit(offsets);
          };
          return consumer;
        },
      };
      const loop = parts(slow, topic, group, {});
      const stage = runStage(
        loop,
        { settings: { ...settings, commitEvery: 5 }, concurrency: 1, reportLag: () => {} },
        slow,
        { groupId: group, topics: [topic], isRetry: false },
      );
      await until(() => loop.stats.processed === 40 && holding === 1, 20_000, "a commit held");
      // Records that arrive while the commit is held are polled and handled all the same.
      const producer = await transport.producer();
      await producer.send(Array.from({ length: 40 }, (_, i) => ({
        topic,
        key: encode(`k${i % 4}`),
        value: encode(JSON.stringify({ id: 40 + i, key: `k${i % 4}` })),
      })));
      await producer.close();
      await until(() => loop.stats.processed === 80, 20_000, "80 handled while a commit is held");
      assert.equal(holding, 1, "one commit at a time");
      assert.equal(await committed(transport, group), 0);
      loop.stopping.turnOn();
      await new Promise((resolve) => setTimeout(resolve, 50));
      held.turnOn();
      await stage;
      assert.equal(holding, 2, "the held commit, then one for what finished after it");
      assert.equal(commits[1], 80);
      assert.equal(await committed(transport, group), 80, "every offset committed on stop");
    } finally {
      await transport.close();
    }
  },
);
