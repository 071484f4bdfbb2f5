/**
 * `msg.commit()` is cheap: it stores the position, which is committed in the
 * background at an interval, when the group revokes the partition and when the
 * iteration ends; `commit({ sync: true })` commits at once. Against the real
 * broker, on every transport (native on Node, ffi on Deno and Bun).
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import type { TopicPartitionOffset } from "../../src/transport/types.ts";

const Tick = v.object({ n: v.pipe(v.number(), v.integer()) });

async function setup(partitions: number, count: number) {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const Model = defineModel("Tick", Tick, {
    topic: uniqueName("ticks"),
    consumerGroup: uniqueName("tickers"),
    connection,
  });
  await Model.ensureTopic({ partitions });
  for (let p = 0; p < partitions; p++) {
    for (let n = 0; n < count; n++) await Model.produce({ n }, { partition: p });
  }
  const groupOffsets = async (): Promise<TopicPartitionOffset[]> => {
    const admin = await (await connection.transport()).admin();
    try {
      return (await admin.groupOffsets(Model.settings.consumerGroup!))
        .filter((o) => o.topic === Model.settings.topic)
        .sort((a, b) => a.partition - b.partition);
    } finally {
      await admin.close();
    }
  };
  /** Waits (generously) until the group's committed offsets are `expected`. */
  const awaitOffsets = async (expected: number[], what: string) => {
    const deadline = Date.now() + 60_000;
    let seen: number[] = [];
    while (Date.now() < deadline) {
      seen = (await groupOffsets()).map((o) => o.offset);
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.fail(`${what}: committed offsets ${JSON.stringify(seen)}, expected ${expected}`);
  };
  return { Model, connection, groupOffsets, awaitOffsets };
}

// An interval no test waits for: what is committed was committed by something else.
const never = 600_000;

test(
  "stored positions are committed when the iteration ends, not before",
  { timeout: 120_000 },
  async () => {
    const { Model, connection, groupOffsets, awaitOffsets } = await setup(1, 20);
    try {
      let read = 0;
      for await (const msg of Model.consume({ fromBeginning: true, commitIntervalMs: never })) {
        await msg.commit(); // stores only
        if (++read === 20) {
          assert.deepEqual(await groupOffsets(), [], "nothing committed while iterating");
          break;
        }
      }
      await awaitOffsets([20], "after the loop ended");
    } finally {
      await connection.close();
    }
  },
);

test("commit({ sync: true }) is on the broker when it resolves; others at the interval", {
  timeout: 120_000,
}, async () => {
  const { Model, connection, groupOffsets, awaitOffsets } = await setup(1, 10);
  try {
    const messages = Model.consume({ fromBeginning: true, commitIntervalMs: 500 })[
      Symbol.asyncIterator
    ]();
    for (let i = 0; i < 4; i++) {
      const { value: msg } = await messages.next();
      await msg!.commit({ sync: i === 3 });
    }
    assert.deepEqual((await groupOffsets()).map((o) => o.offset), [4]);
    for (let i = 4; i < 10; i++) await (await messages.next()).value!.commit();
    // The consumer keeps polling (no message left) while the interval commits.
    const idle = messages.next();
    await awaitOffsets([10], "at the interval");
    await Model.produce({ n: 99 });
    assert.equal((await idle).value!.value!.n, 99);
    await messages.return(undefined);
    await assert.rejects(
      (await idle).value!.commit(),
      /consumer is closed/,
      "a commit after the end is refused, not lost in silence",
    );
  } finally {
    await connection.close();
  }
});

test(
  "stored positions of revoked partitions are committed on the rebalance",
  { timeout: 180_000 },
  async () => {
    const { Model, connection, awaitOffsets } = await setup(2, 5);
    try {
      const options = { fromBeginning: true, commitIntervalMs: never };
      const first = Model.consume(options)[Symbol.asyncIterator]();
      for (let i = 0; i < 10; i++) await (await first.next()).value!.commit();
      const firstIdle = first.next(); // polls, and so serves the rebalance
      const second = Model.consume(options)[Symbol.asyncIterator]();
      const secondIdle = second.next();
      // The second member's arrival revokes the first's partitions: their commit is the revoke's.
      await awaitOffsets([5, 5], "after the rebalance");
      // One new message per partition ends both waits, whoever owns which partition.
      await Model.produce({ n: 100 }, { partition: 0 });
      await Model.produce({ n: 101 }, { partition: 1 });
      const got = [(await firstIdle).value!.value!.n, (await secondIdle).value!.value!.n].sort();
      assert.deepEqual(got, [100, 101], "each member resumed after the committed positions");
      await Promise.all([first.return(undefined), second.return(undefined)]);
    } finally {
      await connection.close();
    }
  },
);
