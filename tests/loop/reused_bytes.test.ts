/**
 * The loop reads records into shared slabs and gives each record back when it
 * settles, so a slab is written again once all its records are done (Deno
 * and Bun). A slab reused too early would show here as a handler seeing
 * another record's bytes, or as a retry or dead letter topic receiving them.
 * Against the real broker, on every runtime.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import {
  type Item,
  jsonModel,
  loopTransport,
  quiet,
  readAll,
  seed,
  until,
} from "./loop_support.ts";

interface Padded extends Item {
  readonly pad: string;
}

const count = 1_500;
/**
 * About 3 KB per record: some 20 records to a 64 KiB slab, so the records a
 * loop holds at once (concurrency plus a poll batch) span several slabs.
 */
const padOf = (id: number) => `${id}:`.repeat(600).slice(0, 3_000);
const failsOnce = (id: number) => id % 13 === 0;
const alwaysFails = (id: number) => id % 101 === 0;

test(
  "a loop whose slabs are reused hands every handler, retry and dead letter its own record's bytes",
  { timeout: 120_000 },
  async () => {
    const transport = await loopTransport();
    const { topic, group } = await seed(transport, "reused-bytes", count, 50, 3, 1, (id) => ({
      pad: padOf(id),
    }));

    const handled = new Map<number, number>(); // id -> attempt that succeeded
    const wrong: string[] = [];
    const loop = new AsyncConsumerLoop<Item>({
      model: jsonModel(transport, topic, group),
      handler: async (item, { attempt }) => {
        const { id, pad } = item as Padded;
        if (pad !== padOf(id)) wrong.push(`${id}: ${pad.slice(0, 40)}`);
        if (attempt > 1 && !failsOnce(id) && !alwaysFails(id)) wrong.push(`${id}: retried`);
        // A failing record is held while later polls fill slabs, then forwarded from its bytes.
        const failing = alwaysFails(id) || (failsOnce(id) && attempt === 1);
        await new Promise((resolve) => setTimeout(resolve, failing ? 100 : id % 3));
        if (failing) throw new Error(`fail ${id}`);
        handled.set(id, attempt);
      },
      settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
      concurrency: 20,
      retryTopics: { attempts: 1, delaysMs: [100] },
      deadLetter: true,
      handleSignals: false,
      logger: quiet,
    });
    const running = loop.run();
    const dead = Array.from({ length: count }, (_, id) => id).filter(alwaysFails);
    await until(
      () => handled.size + loop.stats.deadLettered >= count || wrong.length > 0,
      90_000,
      `${count} messages handled or dead-lettered`,
    );
    loop.stop();
    await running;

    assert.deepEqual(wrong, [], "a handler or a retry saw another record's bytes");
    assert.equal(handled.size, count - dead.length);
    for (const [id, attempt] of handled) assert.equal(attempt, failsOnce(id) ? 2 : 1, `id ${id}`);
    const letters = await readAll(transport, `${group}.${topic}.dlt`, dead.length);
    const deadIds = letters.map((letter) => {
      const value = JSON.parse(new TextDecoder().decode(letter.value!)) as Padded;
      assert.equal(value.pad, padOf(value.id), "a dead letter carries its own record's bytes");
      return value.id;
    }).sort((a, b) => a - b);
    assert.deepEqual(deadIds, dead);
    await transport.close();
  },
);
