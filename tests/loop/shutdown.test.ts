/** Shutdown that outlasts shutdownTimeoutMs: the straggler's signal aborts and its offset stays uncommitted. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn } from "../support.ts";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import {
  committedTotal,
  type Item,
  jsonModel,
  loopTransport,
  quiet,
  seed,
  until,
} from "./loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });

if (runsOn(["node", "deno", "bun"])) {
  test(
    "a handler ignoring stop past shutdownTimeoutMs is aborted, run() resolves, its offset is redelivered",
    { timeout: 60_000 },
    async () => {
      const transport = await loopTransport();
      // One partition, five keys: ids 0-4 run side by side, id 2 outlives the shutdown.
      const { topic, group } = await seed(transport, "loop-straggler", 5, 5, 1);
      const finished = new Set<number>();
      let abortedWhileRunning = false;
      let stragglerDone = false;
      let straggler: Promise<void> | undefined;
      const loop = new AsyncConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (item, ctx) => {
          if (item.id !== 2) return void finished.add(item.id);
          ctx.signal.addEventListener("abort", () => abortedWhileRunning = !stragglerDone);
          straggler = new Promise<void>((resolve) => setTimeout(resolve, 5_000)).then(() => {
            stragglerDone = true;
          });
          return straggler;
        },
        settings,
        maxConcurrent: 5,
        shutdownTimeoutMs: 500,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(() => finished.size === 4 && straggler !== undefined, 30_000, "ids 0, 1, 3, 4");
      loop.stop();
      await running;
      assert.equal(stragglerDone, false, "run() resolved while the straggler still ran");
      assert.equal(abortedWhileRunning, true, "the straggler's signal was aborted");
      assert.equal(await committedTotal(transport, group), 2, "committed up to the straggler");
      await straggler;

      const redelivered: number[] = [];
      const again = new AsyncConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (item) => void redelivered.push(item.id),
        settings,
        handleSignals: false,
        logger: quiet,
      });
      const rerun = again.run();
      await until(() => redelivered.length >= 3, 30_000, "redelivery");
      again.stop();
      await rerun;
      assert.deepEqual(redelivered.sort(), [2, 3, 4]);
      assert.equal(await committedTotal(transport, group), 5);
      await transport.close();
    },
  );
}
