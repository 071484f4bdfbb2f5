/**
 * Further cases for the runtime's broker transport (native on Node, ffi on Deno
 * and Bun) against the real broker: volume, full queues, cooperative groups,
 * Java-compatible partitioning. The shared suite every transport passes is
 * conformance.ts.
 */
import assert from "node:assert/strict";
import { TransportError } from "../../src/errors.ts";
import { keyPartition } from "../../src/transport/murmur2.ts";
import type {
  DeliveryReport,
  DeliveryResult,
  OutgoingMessage,
  RebalanceEvent,
  TransportProducer,
} from "../../src/transport/types.ts";
import { test } from "node:test";
import { runsOn, uniqueName } from "../support.ts";
import { brokerTransport, decode, encode, freshTopic, readAtLeast } from "./transport_support.ts";

const runtimes = ["node", "deno", "bun"] as const;

if (runsOn(runtimes)) {
  test("1000 messages with keys and headers come back identical, reports in input order", {
    timeout: 60_000,
  }, async () => {
    const transport = await brokerTransport();
    const topic = await freshTopic(transport, "ffi-roundtrip");
    const producer = await transport.producer({ "enable.idempotence": true, acks: "all" });
    const messages: OutgoingMessage[] = Array.from({ length: 1000 }, (_, i) => ({
      topic,
      key: i % 10 === 0 ? null : encode(`key-${i % 37}`),
      value: i % 100 === 1 ? null : encode(`value-${i}`),
      headers: [["seq", encode(String(i))], ["dup", encode("a")], ["dup", new Uint8Array(0)]],
      timestamp: 1_700_000_000_000 + i,
    }));
    const results = await producer.send(messages);
    assert.equal(results.length, 1000);
    const reports = results.map((r, i) => {
      assert.ok(r.ok, `message ${i} failed`);
      return r.report;
    });
    reports.forEach((r, i) => assert.equal(r.timestamp, 1_700_000_000_000 + i, "input order"));
    // Same key, same partition (murmur2, as Java clients).
    const partitionOfKey = new Map<string, number>();
    messages.forEach((m, i) => {
      if (!m.key) return;
      const k = decode(m.key)!;
      assert.equal(partitionOfKey.get(k) ?? reports[i].partition, reports[i].partition);
      partitionOfKey.set(k, reports[i].partition);
    });

    const consumer = await transport.consumer({
      groupId: uniqueName("ffi-g"),
      fromBeginning: true,
    });
    await consumer.subscribe([topic]);
    const got = await readAtLeast(consumer, 1000);
    assert.equal(got.length, 1000);
    const byPosition = new Map(got.map((m) => [`${m.partition}/${m.offset}`, m]));
    messages.forEach((sent, i) => {
      const report: DeliveryReport = reports[i];
      const read = byPosition.get(`${report.partition}/${report.offset}`);
      assert.ok(read, `message ${i} not read back`);
      assert.equal(read.topic, topic);
      assert.deepEqual(read.key, sent.key);
      assert.deepEqual(read.value, sent.value);
      assert.deepEqual(read.headers.map(([k, v]) => [k, decode(v)]), [["seq", String(i)], [
        "dup",
        "a",
      ], ["dup", ""]]);
      assert.equal(read.timestamp, sent.timestamp);
    });
    await transport.close();
  });
}

if (runsOn(runtimes)) {
  test(
    "a consumer of the same group resumes after the committed offset",
    { timeout: 60_000 },
    async () => {
      const transport = await brokerTransport();
      const topic = await freshTopic(transport, "ffi-resume", 1);
      const producer = await transport.producer();
      await producer.send(Array.from({ length: 20 }, (_, i) => ({
        topic,
        key: null,
        value: encode(`m${i}`),
      })));
      const groupId = uniqueName("ffi-resume-g");
      const first = await transport.consumer({ groupId, fromBeginning: true });
      await first.subscribe([topic]);
      const firstRead = await readAtLeast(first, 20);
      assert.equal(firstRead.length, 20);
      await first.commit([{ topic, partition: 0, offset: 12 }]);
      assert.deepEqual(await first.committed([{ topic, partition: 0 }]), [{
        topic,
        partition: 0,
        offset: 12,
      }]);
      await first.close();

      const admin = await transport.admin();
      assert.deepEqual(await admin.groupOffsets(groupId), [{ topic, partition: 0, offset: 12 }]);
      const second = await transport.consumer({ groupId, fromBeginning: true });
      await second.subscribe([topic]);
      const rest = await readAtLeast(second, 8);
      assert.deepEqual(rest.map((m) => decode(m.value)), [
        "m12",
        "m13",
        "m14",
        "m15",
        "m16",
        "m17",
        "m18",
        "m19",
      ]);
      assert.deepEqual(await second.poll(10, 300), []);
      await transport.close();
    },
  );
}

if (runsOn(runtimes)) {
  test("rebalance events, assignment, pause, resume and seek", { timeout: 60_000 }, async () => {
    const transport = await brokerTransport();
    const topic = await freshTopic(transport, "ffi-flow", 2);
    const producer = await transport.producer();
    const sent = await producer.send(Array.from({ length: 10 }, (_, i) => ({
      topic,
      partition: i % 2,
      key: null,
      value: encode(`p${i % 2}-${Math.floor(i / 2)}`),
    })));
    assert.ok(sent.every((r) => r.ok));
    const consumer = await transport.consumer({
      groupId: uniqueName("ffi-flow-g"),
      fromBeginning: true,
    });
    const events: RebalanceEvent[] = [];
    const stop = consumer.onRebalance((e) => events.push(e));
    await consumer.subscribe([topic]);
    const all = await readAtLeast(consumer, 10);
    assert.equal(all.length, 10);
    assert.deepEqual(events.map((e) => e.type), ["assign"]);
    const byPartition = (a: { partition: number }, b: { partition: number }) =>
      a.partition - b.partition;
    assert.deepEqual(
      [...consumer.assignment()].sort(byPartition),
      [{ topic, partition: 0 }, { topic, partition: 1 }],
    );

    consumer.pause([{ topic, partition: 0 }]);
    await consumer.seek({ topic, partition: 1, offset: 3 });
    await producer.send([{ topic, partition: 0, key: null, value: encode("p0-late") }]);
    const afterSeek = await readAtLeast(consumer, 2, 5000);
    assert.deepEqual(
      afterSeek.map((m) => decode(m.value)),
      ["p1-3", "p1-4"],
      "paused partition stays quiet",
    );
    assert.deepEqual(await consumer.poll(10, 500), []);
    consumer.resume([{ topic, partition: 0 }]);
    const late = await readAtLeast(consumer, 1, 5000);
    assert.deepEqual(late.map((m) => decode(m.value)), ["p0-late"]);

    await consumer.close();
    assert.equal(events.at(-1)?.type, "revoke");
    stop();
    await transport.close();
  });
}

if (runsOn(runtimes)) {
  test("admin creates, lists, counts and deletes topics", { timeout: 60_000 }, async () => {
    const transport = await brokerTransport();
    try {
      const admin = await transport.admin();
      const topic = uniqueName("ffi-admin");
      assert.equal(
        await admin.ensureTopic({ topic, partitions: 4, config: { "retention.ms": "3600000" } }),
        true,
      );
      assert.equal(await admin.ensureTopic({ topic, partitions: 4 }), false);
      assert.equal(await admin.partitionCount(topic), 4);
      assert.ok((await admin.listTopics()).includes(topic));
      await admin.deleteTopic(topic);
      // Kafka deletes asynchronously: metadata may still describe the topic for a moment.
      let gone: unknown;
      for (const deadline = Date.now() + 10_000; !gone && Date.now() < deadline;) {
        gone = await admin.partitionCount(topic).then(
          () => new Promise((resolve) => setTimeout(resolve, 100)).then(() => undefined),
          (error: unknown) => error,
        );
      }
      assert.ok(
        gone instanceof TransportError && gone.codeName === "UNKNOWN_TOPIC_OR_PART",
        `a deleted topic is unknown within 10 s, got ${gone}`,
      );
      await assert.rejects(
        admin.ensureTopic({ topic: uniqueName("ffi-bad"), config: { "no.such.config": "1" } }),
        (e: unknown) => e instanceof TransportError && e.codeName === "INVALID_CONFIG",
      );
    } finally {
      // A failed assertion must not leave the client open: the runtime would never exit.
      await transport.close();
    }
  });
}

if (runsOn(runtimes)) {
  test("a message that cannot be delivered gets its error, named, in its own result", {
    timeout: 60_000,
  }, async () => {
    const transport = await brokerTransport();
    const topic = await freshTopic(transport, "ffi-errors", 1);
    const producer = await transport.producer({ "message.timeout.ms": 3000 });
    const missing = uniqueName("ffi-missing");
    const results = await producer.send([
      { topic, key: null, value: encode("fine") },
      { topic: missing, key: null, value: encode("lost") },
      { topic, partition: 7, key: null, value: encode("no such partition") },
    ]);
    assert.equal(results[0].ok, true);
    for (const result of results.slice(1)) {
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.ok(result.error instanceof TransportError);
      assert.match(result.error.codeName ?? "", /UNKNOWN_TOPIC|UNKNOWN_PARTITION|MSG_TIMED_OUT/);
    }
    await transport.close();
  });
}

/**
 * Runs `body` with a producer whose local queue holds 10 messages, on a fresh
 * one-partition topic; closes the clients even when an assertion fails.
 */
async function withTenMessageQueue(
  prefix: string,
  body: (producer: TransportProducer, topic: string) => Promise<void>,
): Promise<void> {
  const transport = await brokerTransport();
  try {
    const topic = await freshTopic(transport, prefix, 1);
    const producer = await transport.producer({ "queue.buffering.max.messages": 10 });
    await body(producer, topic);
    await producer.close();
  } finally {
    await transport.close();
  }
}

/** Keyless messages to `topic`, one per text. */
const textsTo = (topic: string, texts: string[]): OutgoingMessage[] =>
  texts.map((text) => ({ topic, key: null, value: encode(text) }));

/** Where each message landed; -1 for one that failed. */
const offsetsOf = (results: DeliveryResult[]) => results.map((r) => r.ok ? r.report.offset : -1);

/** `count` consecutive numbers from `first`. */
const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

if (runsOn(runtimes)) {
  test("a full local queue is waited out, never dropped", { timeout: 60_000 }, async () => {
    await withTenMessageQueue("ffi-queue-full", async (producer, topic) => {
      const results = await producer.send(textsTo(topic, range(0, 2000).map(String)));
      assert.ok(results.every((r) => r.ok));
      assert.deepEqual(offsetsOf(results), range(0, 2000));
    });
  });
}

if (runsOn(runtimes)) {
  test("one message past a full queue is delivered, handed over as the queue drains", {
    timeout: 30_000,
  }, async () => {
    await withTenMessageQueue("ffi-queue-one-more", async (producer, topic) => {
      // The eleventh waits for room; the pass that frees it is the delivery pump's last.
      const results = await producer.send(textsTo(topic, range(0, 11).map(String)));
      assert.deepEqual(offsetsOf(results), range(0, 11));
    });
  });
}

if (runsOn(runtimes)) {
  test("sends that meet a full queue keep call order: a later one never overtakes", {
    timeout: 60_000,
  }, async () => {
    await withTenMessageQueue("ffi-queue-order", async (producer, topic) => {
      // Not awaited one by one: the second and third start while the first waits for room.
      const sends = ["a", "b", "c"].map((name) =>
        producer.send(textsTo(topic, range(0, 300).map((i) => `${name}${i}`)))
      );
      const offsets = (await Promise.all(sends)).map(offsetsOf);
      assert.deepEqual(offsets, [range(0, 300), range(300, 300), range(600, 300)]);
    });
  });
}

if (runsOn(runtimes)) {
  test(
    "cooperative groups rebalance incrementally between two members",
    { timeout: 45_000 },
    async () => {
      const transport = await brokerTransport();
      const topic = await freshTopic(transport, "ffi-coop", 2);
      const groupId = uniqueName("ffi-coop-g");
      const properties = { "partition.assignment.strategy": "cooperative-sticky" };
      const first = await transport.consumer({ groupId, properties });
      const firstEvents: RebalanceEvent[] = [];
      first.onRebalance((e) => firstEvents.push(e));
      await first.subscribe([topic]);
      const deadline = Date.now() + 30_000;
      while (first.assignment().length < 2 && Date.now() < deadline) await first.poll(10, 200);
      assert.equal(first.assignment().length, 2);

      const second = await transport.consumer({ groupId, properties });
      await second.subscribe([topic]);
      while (
        (first.assignment().length !== 1 || second.assignment().length !== 1) &&
        Date.now() < deadline
      ) {
        await Promise.all([first.poll(10, 200), second.poll(10, 200)]);
      }
      const owned = [...first.assignment(), ...second.assignment()].map((tp) => tp.partition)
        .sort();
      assert.deepEqual(owned, [0, 1]);
      // Incremental: the first member gave up one partition and never lost the other.
      const revokes = firstEvents.filter((e) => e.type === "revoke");
      assert.equal(revokes.length, 1);
      assert.equal(revokes[0].partitions.length, 1);
      await transport.close();
    },
  );
}

if (runsOn(runtimes)) {
  test(
    "keyed records land on the partition Java clients choose (murmur2)",
    { timeout: 60_000 },
    async () => {
      const transport = await brokerTransport();
      const partitions = 7;
      const topic = await freshTopic(transport, "ffi-murmur2", partitions);
      const producer = await transport.producer();
      const keys = Array.from({ length: 200 }, (_, i) => encode(`order-${i * 7919}`));
      const results = await producer.send(keys.map((key) => ({ topic, key, value: null })));
      results.forEach((result, i) => {
        assert.ok(result.ok);
        const expected = keyPartition(keys[i], partitions);
        assert.equal(result.report.partition, expected, `key ${decode(keys[i])}`);
      });
      await transport.close();
    },
  );
}
