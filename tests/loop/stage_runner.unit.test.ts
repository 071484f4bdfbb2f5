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
import type { Transport } from "../../src/transport/types.ts";
import { type Item, jsonModel, loopParts, seed, until } from "./loop_support.ts";

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
