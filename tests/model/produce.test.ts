/** Models produce and consume themselves against the real broker. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ValidationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";

// Node runs the native transport; Deno and Bun the ffi transport.
const runtimes = ["node", "deno", "bun"] as const;

const Reading = v.object({
  sensor: v.string(),
  seq: v.pipe(v.number(), v.integer()),
  celsius: v.number(),
  at: v.date(),
});

function model(partitions = 3) {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const topic = uniqueName("readings");
  const Model = defineModel("Reading", Reading, {
    topic,
    keyField: "sensor",
    consumerGroup: uniqueName("readers"),
    connection,
  });
  return { Model, connection, partitions };
}

if (runsOn(runtimes)) {
  test("10,000 values from produceMany come back equal, each key always on one partition", {
    timeout: 120_000,
  }, async () => {
    const { Model, connection } = model();
    try {
      assert.equal(await Model.ensureTopic({ partitions: 3 }), true);
      const values = Array.from({ length: 10_000 }, (_, seq) => ({
        sensor: `s-${seq % 25}`,
        seq,
        celsius: seq / 10,
        at: new Date(1_700_000_000_000 + seq),
      }));
      const reports = await Model.produceMany(values);
      assert.equal(reports.length, 10_000);
      const partitionOf = new Map<string, number>();
      reports.forEach((report, i) => {
        const seen = partitionOf.get(values[i].sensor) ?? report.partition;
        assert.equal(report.partition, seen, `key ${values[i].sensor} stays on one partition`);
        partitionOf.set(values[i].sensor, report.partition);
      });
      const received = new Map<number, unknown>();
      for await (const message of Model.consume({ fromBeginning: true })) {
        assert.ok(!message.tombstone);
        assert.equal(partitionOf.get(message.key!), message.partition);
        received.set(message.value.seq, message.value);
        if (received.size === values.length) {
          await message.commit();
          break;
        }
      }
      for (const value of values) assert.deepEqual(received.get(value.seq), value);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test("an invalid value in a batch sends nothing", { timeout: 60_000 }, async () => {
    const { Model, connection } = model(1);
    try {
      await Model.ensureTopic({ partitions: 1 });
      const good = { sensor: "a", seq: 1, celsius: 1, at: new Date() };
      await assert.rejects(
        Model.produceMany([good, good, { ...good, seq: 1.5 }, good]),
        (e: unknown) =>
          e instanceof ValidationError && e.issues[0].path === "seq" && e.index === 2 &&
          /^Invalid Reading at index 2: seq: /.test(e.message),
      );
      assert.equal(await Model.consumeOne({ fromBeginning: true, timeoutMs: 3000 }), undefined);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test(
    "send and flush deliver; consumeOne commits; headers and keys arrive",
    { timeout: 60_000 },
    async () => {
      const { Model, connection } = model(1);
      try {
        await Model.ensureTopic({ partitions: 1 });
        const first = { sensor: "k1", seq: 1, celsius: 20.5, at: new Date(1) };
        const second = { sensor: "k2", seq: 2, celsius: 21.5, at: new Date(2) };
        Model.send(first);
        Model.send(second, { headers: { trace: "t-2" } });
        await Model.flush();
        assert.deepEqual(
          (await Model.consumeOne({ fromBeginning: true, timeoutMs: 20_000 }))?.value,
          first,
        );
        // The group committed the first; the iterator resumes at the second.
        for await (const message of Model.consume()) {
          assert.ok(!message.tombstone);
          assert.deepEqual(message.value, second);
          assert.equal(message.key, "k2");
          assert.deepEqual(
            message.headers.map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]),
            [["trace", "t-2"]],
          );
          break;
        }
        const report = await Model.produce({ ...first, seq: 3 }, { partition: 0, key: null });
        assert.equal(report.partition, 0);
        assert.equal(report.topic, Model.settings.topic);
      } finally {
        await connection.close();
      }
    },
  );
}

if (runsOn(runtimes)) {
  test(
    "a turn's sends travel in order, in slices, and an invalid value fails alone",
    { timeout: 60_000 },
    async () => {
      const connection = new Connection({
        bootstrapServers: kafkaBootstrap(),
        schemaRegistryUrl: registryUrl(),
      });
      const failed: { error: unknown; value: unknown }[] = [];
      const Model = defineModel("Reading", Reading, {
        topic: uniqueName("readings-send"),
        keyField: "sensor",
        consumerGroup: uniqueName("readers"),
        connection,
        onDeliveryError: (error, value) => failed.push({ error, value }),
      });
      try {
        await Model.ensureTopic({ partitions: 1 });
        // 12,000 spans three of the send queue's slices; the invalid value sits in the second.
        const valid = Array.from({ length: 12_000 }, (_, seq) => ({
          sensor: `k${seq % 3}`,
          seq,
          celsius: seq,
          at: new Date(seq),
        }));
        const invalid = { sensor: "bad", seq: 0.5, celsius: 1, at: new Date(0) };
        valid.slice(0, 7_000).forEach((value) => Model.send(value));
        Model.send(invalid);
        valid.slice(7_000).forEach((value) => Model.send(value));
        await Model.flush();
        assert.equal(failed.length, 1);
        assert.ok(failed[0].error instanceof ValidationError);
        assert.equal(failed[0].value, invalid);
        const received: number[] = [];
        for await (const message of Model.consume({ fromBeginning: true })) {
          assert.ok(!message.tombstone);
          received.push(message.value.seq);
          if (received.length === valid.length) break;
        }
        assert.deepEqual(
          received,
          valid.map((value) => value.seq),
          "all valid ones, in send order",
        );
      } finally {
        await connection.close();
      }
    },
  );
}
