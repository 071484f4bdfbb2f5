/** Producer suppression against the real broker: what is suppressed never arrives, the rest does. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel, type Model } from "../../src/model/define_model.ts";
import { isSuppressed, suppress, unsuppress } from "../../src/suppress/scope.ts";
import { suppressedCounts } from "../../src/suppress/reports.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";

const runtimes = ["node", "deno", "bun"] as const;
const Note = v.object({ id: v.pipe(v.number(), v.integer()), text: v.string() });

/** Two models on two fresh topics sharing one connection. */
async function models() {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const model = (name: string) =>
    defineModel("Note", Note, {
      topic: uniqueName(name),
      consumerGroup: uniqueName(`${name}-g`),
      connection,
    });
  const A = model("supp-a");
  const B = model("supp-b");
  await A.ensureTopic({ partitions: 1 });
  await B.ensureTopic({ partitions: 1 });
  return { A, B, connection };
}

const marker = 999;

/**
 * Every id that reached the model's one-partition topic: writes a marker
 * last, then reads from the beginning up to it, so nothing can arrive later.
 */
async function idsOn(model: Model<v.InferOutput<typeof Note>>): Promise<number[]> {
  await model.produce({ id: marker, text: "end" });
  const connection = model.connection;
  const transport = await connection.transport();
  const consumer = await transport.consumer({ groupId: uniqueName("reader"), fromBeginning: true });
  await consumer.subscribe([model.settings.topic]);
  const ids: number[] = [];
  const deadline = Date.now() + 30_000;
  try {
    while (!ids.includes(marker) && Date.now() < deadline) {
      for (const m of await consumer.poll(100, 300)) ids.push((await model.decode(m.value, m)).id);
    }
  } finally {
    await consumer.close();
  }
  assert.ok(ids.includes(marker), `the marker reached ${model.settings.topic}`);
  return ids.filter((id) => id !== marker);
}

if (runsOn(runtimes)) {
  test("suppressed topics receive nothing (read back); other topics still get theirs", {
    timeout: 60_000,
  }, async () => {
    const { A, B, connection } = await models();
    try {
      const before = suppressedCounts()[A.settings.topic] ?? 0;
      const reports = await suppress([A.settings.topic], async () => {
        const a = await A.produce({ id: 1, text: "suppressed" });
        const many = await A.produceMany([{ id: 2, text: "x" }, { id: 3, text: "y" }]);
        const t = await A.tombstone("k");
        A.send({ id: 4, text: "sent" });
        await A.flush();
        const b = await B.produce({ id: 10, text: "delivered" });
        return { a, many, t, b };
      });
      assert.equal(reports.a.suppressed, true);
      assert.equal(reports.a.offset, -1);
      assert.deepEqual(reports.many.map((r) => r.suppressed), [true, true]);
      assert.equal(reports.t.suppressed, true);
      assert.equal(reports.b.suppressed, undefined);
      assert.ok(reports.b.offset >= 0);
      assert.equal((suppressedCounts()[A.settings.topic] ?? 0) - before, 5);
      // After the scope, A is produced to again.
      await A.produce({ id: 5, text: "after" });
      assert.deepEqual(await idsOn(A), [5]);
      assert.deepEqual(await idsOn(B), [10]);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test("scopes nest as a stack and concurrent scopes do not leak into each other", {
    timeout: 60_000,
  }, async () => {
    const { A, B, connection } = await models();
    try {
      const a = A.settings.topic;
      const b = B.settings.topic;
      await suppress(async () => {
        assert.equal(isSuppressed(a), true);
        await unsuppress([a], async () => {
          assert.equal(isSuppressed(a), false);
          assert.equal(isSuppressed(b), true);
          await A.produce({ id: 1, text: "lifted" });
          assert.equal((await B.produce({ id: 2, text: "still suppressed" })).suppressed, true);
          await suppress([a], async () => {
            assert.equal((await A.produce({ id: 3, text: "again" })).suppressed, true);
          });
          await A.produce({ id: 4, text: "lifted again" });
        });
        assert.equal((await A.produce({ id: 5, text: "outer" })).suppressed, true);
      });
      assert.equal(isSuppressed(a), false);

      // Two "requests" at once, interleaving their awaits: only the suppressed one is silenced.
      let open = () => {};
      const gate = {
        promise: new Promise<void>((resolve) => open = resolve),
        resolve: () => open(),
      };
      const quiet = suppress(async () => {
        await gate.promise;
        return await B.produce({ id: 20, text: "quiet request" });
      });
      const loud = (async () => {
        await gate.promise;
        return await B.produce({ id: 21, text: "loud request" });
      })();
      gate.resolve();
      const [q, l] = await Promise.all([quiet, loud]);
      assert.equal(q.suppressed, true);
      assert.equal(l.suppressed, undefined);
      assert.deepEqual(await idsOn(A), [1, 4]);
      assert.deepEqual(await idsOn(B), [21]);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test("a loop with suppressProducers suppresses what its handler produces, and only there", {
    timeout: 60_000,
  }, async () => {
    const { A, B, connection } = await models();
    try {
      const C = defineModel("Note", Note, { topic: uniqueName("supp-c"), connection });
      await C.ensureTopic({ partitions: 1 });
      await A.produceMany([{ id: 1, text: "one" }, { id: 2, text: "two" }]);
      const seen: number[] = [];
      const loop = new ConsumerLoop({
        model: A,
        settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
        suppressProducers: [B.settings.topic],
        handleSignals: false,
        logger: { info() {}, warn() {}, error() {} },
        handler: async (note) => {
          // The two-way sync: echoing back is suppressed, other topics are not.
          const echo = await B.produce({ id: note.id * 10, text: "echo" });
          assert.equal(echo.suppressed, true);
          await C.produce({ id: note.id * 100, text: "audit" });
          seen.push(note.id);
        },
      });
      const running = loop.run();
      running.catch(() => {}); // awaited below; a crash fails the test there, not as an unhandled rejection
      const deadline = Date.now() + 30_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      // Outside the handler, producing to B is not suppressed.
      await B.produce({ id: 99, text: "outside" });
      loop.stop();
      await running;
      assert.deepEqual(seen, [1, 2]);
      assert.equal(loop.stats.processed, 2);
      assert.deepEqual(await idsOn(B), [99]);
      assert.deepEqual(await idsOn(C), [100, 200]);
    } finally {
      await connection.close();
    }
  });
}
