/** A loop's `fromBeginning` decides where a new group starts, whatever its profile says. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn } from "../support.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { type Item, jsonModel, loopTransport, quiet, seed, until } from "./loop_support.ts";

if (runsOn(["node", "deno", "bun"])) {
  test(
    "fromBeginning: true reads messages written before the loop, under RealTimeSettings (latest)",
    { timeout: 60_000 },
    async () => {
      const transport = await loopTransport();
      const { topic, group } = await seed(transport, "loop-from-beginning", 5);
      const handled: number[] = [];
      const loop = new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (item) => void handled.push(item.id),
        settings: RealTimeSettings(),
        fromBeginning: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(() => handled.length >= 5, 20_000, "5 messages from before the loop");
      loop.stop();
      await running;
      await transport.close();
      assert.deepEqual(handled.sort((a, b) => a - b), [0, 1, 2, 3, 4]);
    },
  );
}
