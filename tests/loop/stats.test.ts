/** `stats.lag` is the consumer lag from the broker's watermark; `stats.inFlight` the unfinished messages. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn } from "../support.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { LongRunningSettings } from "../../src/profiles/profiles.ts";
import { type Item, jsonModel, loopTransport, quiet, seed, until } from "./loop_support.ts";

if (runsOn(["node", "deno", "bun"])) {
  test("stats: lag is the high watermark minus the position, inFlight what is unfinished", {
    timeout: 60_000,
  }, async () => {
    const transport = await loopTransport();
    const { topic, group } = await seed(transport, "loop-lag", 50, 5, 1);
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => release = resolve);
    const loop = new ConsumerLoop<Item>({
      model: jsonModel(transport, topic, group),
      handler: async (item) => {
        if (item.id === 0) await blocked;
      },
      // One message per poll: with the first handler blocked the loop holds two, and stops taking.
      settings: LongRunningSettings({ consumer: { "auto.offset.reset": "earliest" } }),
      handleSignals: false,
      logger: quiet,
    });
    const running = loop.run();
    await until(() => loop.stats.inFlight === 2, 20_000, "two messages taken");
    await until(() => loop.stats.lag === 48, 5_000, "lag 48");
    assert.equal(loop.stats.processed, 0);
    release();
    await until(() => loop.stats.processed === 50, 20_000, "50 handled");
    await until(() => loop.stats.lag === 0 && loop.stats.inFlight === 0, 5_000, "caught up");
    loop.stop();
    await running;
    await transport.close();
  });
}
