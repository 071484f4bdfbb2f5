/** `retryOn` returning false: no blocking retry, no retry topic; the DLT, or with none, onError and a skip. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn } from "../support.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import type { ConsumerLoopOptions } from "../../src/loop/options.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import {
  committedTotal,
  type Item,
  jsonModel,
  loopTransport,
  quiet,
  readAll,
  seed,
  until,
} from "./loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });
const broker = ["node", "deno", "bun"] as const;

/** id 1 fails for good (TypeError), id 2 fails once (RangeError); only RangeError is worth retrying. */
async function runFailing(
  retries: Pick<ConsumerLoopOptions<Item>, "retryTopics" | "deadLetter" | "maxRetries">,
) {
  const transport = await loopTransport();
  const { topic, group } = await seed(transport, "loop-retry-on", 4, 4, 1);
  const attempts = new Map<number, number[]>();
  const errors: string[] = [];
  const loop = new ConsumerLoop<Item>({
    model: jsonModel(transport, topic, group),
    handler: (item, ctx) => {
      attempts.set(item.id, [...(attempts.get(item.id) ?? []), ctx.attempt]);
      if (item.id === 1) throw new TypeError("never works");
      if (item.id === 2 && ctx.attempt === 1) throw new RangeError("works next time");
    },
    retryOn: (error) => !(error instanceof TypeError),
    retryDelayMs: 10,
    onError: (error) => void errors.push((error as Error).name),
    settings,
    handleSignals: false,
    logger: quiet,
    ...retries,
  });
  const running = loop.run();
  await until(() => loop.stats.processed >= 3, 30_000, "ids 0, 2, 3");
  await until(() => errors.length >= 1, 5_000, "onError for id 1");
  loop.stop();
  await running;
  assert.equal(await committedTotal(transport, group), 4, "every offset committed");
  return { transport, topic, group, attempts, errors, stats: loop.stats };
}

if (runsOn(broker)) {
  test("retryOn false: no blocking retry, straight to the DLT", { timeout: 60_000 }, async () => {
    const { transport, topic, group, attempts, errors, stats } = await runFailing({
      maxRetries: 3,
      deadLetter: true,
    });
    assert.deepEqual(attempts.get(1), [1]);
    assert.deepEqual(attempts.get(2), [1, 2]);
    assert.deepEqual(errors, ["TypeError"]);
    assert.equal(stats.retried, 1);
    assert.equal(stats.deadLettered, 1);
    const [dead] = await readAll(transport, `${group}.${topic}.dlt`, 1);
    assert.equal(JSON.parse(new TextDecoder().decode(dead.value!)).id, 1);
    assert.equal(headerText(dead.headers, FailureHeader.attempt), "1");
    assert.equal(headerText(dead.headers, FailureHeader.errorClass), "TypeError");
    await transport.close();
  });
}

if (runsOn(broker)) {
  test(
    "retryOn false with retry topics: the message skips them for the DLT",
    { timeout: 60_000 },
    async () => {
      const { transport, topic, group, attempts, errors, stats } = await runFailing({
        retryTopics: { attempts: 2, delaysMs: [100, 100] },
        deadLetter: true,
      });
      assert.deepEqual(attempts.get(1), [1]);
      assert.deepEqual(attempts.get(2), [1, 2]);
      assert.deepEqual(errors, ["TypeError", "RangeError"]);
      assert.equal(stats.deadLettered, 1);
      const retried = await readAll(transport, `${group}.${topic}.retry.1`, 1);
      assert.deepEqual(retried.map((m) => JSON.parse(new TextDecoder().decode(m.value!)).id), [2]);
      const [dead] = await readAll(transport, `${group}.${topic}.dlt`, 1);
      assert.equal(JSON.parse(new TextDecoder().decode(dead.value!)).id, 1);
      await transport.close();
    },
  );
}

if (runsOn(broker)) {
  test("retryOn false and no DLT: onError is told, the message is skipped and committed", {
    timeout: 60_000,
  }, async () => {
    const { transport, attempts, errors, stats } = await runFailing({ maxRetries: 3 });
    assert.deepEqual(attempts.get(1), [1]);
    assert.deepEqual(errors, ["TypeError"]);
    assert.equal(stats.deadLettered, 0);
    assert.equal(stats.processed, 3);
    await transport.close();
  });
}
