/**
 * What transport/common decides for every transport, checked on each: where a
 * new group starts, what a throwing rebalance listener does, how partitions
 * are named, and that closing a transport closes every client it made.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn, type Runtime, uniqueName } from "../support.ts";
import { TransportError } from "../../src/errors.ts";
import { partitionKey } from "../../src/transport/common/partition_key.ts";
import type { IncomingMessage, RebalanceEvent } from "../../src/transport/types.ts";
import {
  bytes,
  consumeN,
  freshTopic,
  type MakeTransport,
  sendAll,
  str,
  transportCases,
  waitFor,
} from "./conformance_support.ts";

/** Registers the invariant cases for one transport on the given runtimes. */
export function invariantSuite(
  name: string,
  makeTransport: MakeTransport,
  runtimes: readonly Runtime[],
): void {
  const t = transportCases(`${name} invariants`, makeTransport, runtimes, 90_000);

  t("a new group starts at the latest offset unless told fromBeginning", async (transport) => {
    const topic = await freshTopic(transport, 1);
    await sendAll(transport, [{ topic, key: null, value: bytes("before") }]);
    const latest = await transport.consumer({ groupId: uniqueName("latest") });
    const earliest = await transport.consumer({
      groupId: uniqueName("earliest"),
      fromBeginning: true,
    });
    try {
      await latest.subscribe([topic]);
      await earliest.subscribe([topic]);
      // Both poll side by side: the earliest one reads "before", the default one does not.
      const read: IncomingMessage[] = [];
      const first: IncomingMessage[] = [];
      await waitFor(
        () => first.length > 0 && latest.assignment().length === 1,
        "the earliest consumer's record",
        async () => {
          first.push(...await earliest.poll(10, 100));
          read.push(...await latest.poll(10, 100));
        },
      );
      for (let i = 0; i < 5; i++) read.push(...await latest.poll(10, 200));
      assert.deepEqual(first.map((m) => str(m.value)), ["before"]);
      assert.equal(read.length, 0, "the default consumer skipped what was there before");
      // Its position is resolved some time after its assignment: send until it reads one.
      for (let i = 0; i < 10 && read.length === 0; i++) {
        await sendAll(transport, [{ topic, key: null, value: bytes(`after-${i}`) }]);
        read.push(...await consumeN(latest, 1, 3000));
      }
      assert.ok(read.length > 0, "the default consumer reads what comes after");
      for (const m of read) assert.match(String(str(m.value)), /^after-/);
    } finally {
      await Promise.all([latest.close(), earliest.close()]);
    }
  });

  t(
    "a throwing rebalance listener: the assignment applies, the others run, the next poll rejects once",
    async (transport) => {
      const topic = await freshTopic(transport, 1);
      await sendAll(transport, [{ topic, key: null, value: bytes("kept") }]);
      const reported: TransportError[] = [];
      const observed = await makeTransport({ onError: (error) => reported.push(error) });
      const consumer = await observed.consumer({
        groupId: uniqueName("thrower"),
        fromBeginning: true,
      });
      try {
        const seen: RebalanceEvent[] = [];
        consumer.onRebalance((event) => {
          if (event.type === "assign") throw new Error("listener boom");
        });
        consumer.onRebalance((event) => seen.push(event));
        await consumer.subscribe([topic]);
        const rejections: unknown[] = [];
        const read: IncomingMessage[] = [];
        await waitFor(
          () => rejections.length > 0 && read.length > 0,
          "the listener's error and the record",
          async () => {
            try {
              read.push(...await consumer.poll(10, 100));
            } catch (error) {
              rejections.push(error);
            }
          },
        );
        // Once only: the consumer goes on.
        read.push(...await consumer.poll(10, 200));
        assert.equal(rejections.length, 1);
        const [error] = rejections;
        assert.ok(error instanceof TransportError, String(error));
        assert.match(error.message, /a rebalance listener threw on assign of .*: listener boom/);
        assert.equal((error.cause as Error).message, "listener boom");
        assert.ok(reported.includes(error), "onError heard the same error");
        assert.deepEqual(seen.map((e) => e.type), ["assign"], "the other listener still ran");
        assert.deepEqual(
          consumer.assignment(),
          [{ topic, partition: 0 }],
          "the assignment applied",
        );
        assert.deepEqual(read.map((m) => str(m.value)), ["kept"], "no record lost");
      } finally {
        await observed.close();
      }
    },
  );

  t("partitions are plain { topic, partition } pairs, keyed one way", async (transport) => {
    const topic = await freshTopic(transport, 3);
    const consumer = await transport.consumer({ groupId: uniqueName("keys"), fromBeginning: true });
    const assigned = new Set<string>();
    consumer.onRebalance((event) => {
      for (const tp of event.partitions) {
        assert.deepEqual(Object.keys(tp).sort(), ["partition", "topic"]);
        if (event.type === "assign") assigned.add(partitionKey(tp));
        else assigned.delete(partitionKey(tp));
      }
    });
    await consumer.subscribe([topic]);
    await waitFor(
      () => consumer.assignment().length === 3,
      "the assignment",
      () => consumer.poll(10, 100),
    );
    const owned = consumer.assignment();
    for (const tp of owned) assert.deepEqual(Object.keys(tp).sort(), ["partition", "topic"]);
    assert.deepEqual(new Set(owned.map(partitionKey)), assigned);
    assert.deepEqual(
      [...assigned].sort(),
      [0, 1, 2].map((partition) => `${topic}\u0000${partition}`),
    );
    await consumer.close();
  });

  if (runsOn(runtimes)) {
    test(`${name} invariants: closing the transport closes every client it made, once`, {
      timeout: 90_000,
    }, async () => {
      const transport = await makeTransport();
      const topic = await freshTopic(transport, 1);
      const producer = await transport.producer();
      const consumer = await transport.consumer({ groupId: uniqueName("tracked") });
      await consumer.subscribe([topic]);
      const admin = await transport.admin();
      const closedEarly = await transport.admin();
      await closedEarly.close();
      await transport.close();
      await assert.rejects(
        producer.send([{ topic, key: null, value: bytes("x") }]),
        TransportError,
      );
      await assert.rejects(consumer.poll(1, 10), TransportError);
      await assert.rejects(admin.listTopics(), TransportError);
      await assert.rejects(closedEarly.listTopics(), TransportError);
      // Closing again, the transport or a client, is a no-op.
      await transport.close();
      await Promise.all([producer.close(), consumer.close(), admin.close(), closedEarly.close()]);
    });
  }
}
