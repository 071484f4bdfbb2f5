/**
 * The one conformance suite every transport passes: run it with a factory
 * from a thin per-transport test file.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn, type Runtime, uniqueName } from "../support.ts";
import { invariantSuite } from "./invariants.ts";
import {
  bytes,
  consumeN,
  fastGroup,
  freshTopic,
  type MakeTransport,
  sendAll,
  str,
  transportCases,
  waitFor,
} from "./conformance_support.ts";
import { keyPartition } from "../../src/transport/murmur2.ts";
import { ConfigError, TransportError } from "../../src/errors.ts";
import type { RebalanceEvent } from "../../src/transport/types.ts";

/** Registers the conformance cases for one transport on the given runtimes. */
export function conformanceSuite(
  name: string,
  makeTransport: MakeTransport,
  runtimes: readonly Runtime[],
): void {
  invariantSuite(name, makeTransport, runtimes);
  if (runsOn(runtimes)) {
    test(
      `${name} conformance: settings precedence: user beats profile; manual commits cannot be switched off`,
      { timeout: 60_000 },
      async () => {
        const transport = await makeTransport({ properties: { "auto.offset.reset": "earliest" } });
        const refusing = await makeTransport({ properties: { "enable.auto.commit": true } });
        try {
          const topic = await freshTopic(transport, 1);
          await sendAll(
            transport,
            [1, 2, 3].map((i) => ({ topic, key: null, value: bytes(`${i}`) })),
          );
          // The profile says latest, the user earliest: the user wins, so the group reads all three.
          const consumer = await transport.consumer({
            groupId: uniqueName("precedence"),
            properties: { ...fastGroup, "auto.offset.reset": "latest" },
          });
          await consumer.subscribe([topic]);
          const read = await consumeN(consumer, 3);
          await consumer.close();
          assert.deepEqual(read.map((m) => str(m.value)), ["1", "2", "3"]);
          for (const name of ["enable.auto.commit", "enable.auto.offset.store"]) {
            await assert.rejects(
              transport.consumer({
                groupId: uniqueName("precedence"),
                properties: { [name]: true },
              }),
              (error: unknown) =>
                error instanceof ConfigError && error.message.includes(`"${name}"`),
            );
          }
          await assert.rejects(
            refusing.consumer({ groupId: uniqueName("precedence") }),
            (error: unknown) =>
              error instanceof ConfigError &&
              error.message.includes(`user property "enable.auto.commit"`),
          );
        } finally {
          await transport.close();
          await refusing.close();
        }
      },
    );
  }

  const t = transportCases(`${name} conformance`, makeTransport, runtimes, 60_000);

  t("per-partition order and stable murmur2 keyed partitioning", async (transport) => {
    const topic = await freshTopic(transport, 3);
    const keys = ["a", "b", "c", "order-17", "ключ"];
    const messages = Array.from({ length: 50 }, (_, i) => ({
      topic,
      key: bytes(keys[i % keys.length]),
      value: bytes(String(i)),
    }));
    const reports = await sendAll(transport, messages);
    reports.forEach((report, i) => {
      assert.equal(report.partition, keyPartition(messages[i].key, 3), `key ${keys[i % 5]}`);
    });
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    const got = await consumeN(consumer, 50);
    await consumer.close();
    assert.equal(got.length, 50);
    for (const p of [0, 1, 2]) {
      const values = got.filter((m) => m.partition === p).map((m) => Number(str(m.value)));
      assert.deepEqual(values, [...values].sort((a, b) => a - b), `partition ${p} in order`);
      const offsets = got.filter((m) => m.partition === p).map((m) => m.offset);
      assert.deepEqual(offsets, offsets.map((_, i) => i));
    }
  });

  t("headers, null keys and null values round-trip", async (transport) => {
    const topic = await freshTopic(transport, 1);
    await sendAll(transport, [
      { topic, key: null, value: bytes("v"), headers: [["h", bytes("1")], ["h", bytes("2")]] },
      { topic, key: bytes("k"), value: null },
    ]);
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    const [first, second] = await consumeN(consumer, 2);
    await consumer.close();
    assert.equal(first.key, null);
    assert.equal(str(first.value), "v");
    assert.deepEqual(first.headers.map(([k, v]) => [k, str(v)]), [["h", "1"], ["h", "2"]]);
    assert.equal(str(second.key), "k");
    assert.equal(second.value, null);
    assert.deepEqual(second.headers, []);
    // The bytes a consumer hands out own their memory: nothing else can see or change them.
    for (const owned of [first.value!, second.key!]) {
      assert.equal(owned.byteOffset, 0);
      assert.equal(owned.buffer.byteLength, owned.byteLength);
    }
  });

  t("an empty value and an empty key stay empty: not null, not a tombstone", async (transport) => {
    const topic = await freshTopic(transport, 1);
    await sendAll(transport, [
      { topic, key: new Uint8Array(0), value: new Uint8Array(0) },
      { topic, key: null, value: null },
    ]);
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    const [empty, tombstone] = await consumeN(consumer, 2);
    await consumer.close();
    assert.deepEqual([empty.key?.length, empty.value?.length], [0, 0]);
    assert.deepEqual([tombstone.key, tombstone.value], [null, null]);
  });

  t("sharedBytes: records keep their own bytes, whatever buffer they share", async (transport) => {
    const topic = await freshTopic(transport, 1);
    // Sizes around a 64 KiB slab's edges, one past the shared limit, an empty value and a null.
    const sizes = [...Array.from({ length: 150 }, (_, i) => 1 + ((i * 997) % 3000)), 4096, 4097, 0];
    const sent = sizes.map((size, i) => ({
      topic,
      key: bytes(`k${i}`),
      value: Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) % 251),
    }));
    await sendAll(transport, [...sent, { topic, key: bytes("null"), value: null }]);
    const consumer = await transport.consumer({
      groupId: uniqueName("g"),
      fromBeginning: true,
      sharedBytes: true,
    });
    await consumer.subscribe([topic]);
    const read = await consumeN(consumer, sent.length + 1);
    await consumer.close();
    read.slice(0, sent.length).forEach((record, i) => {
      assert.equal(str(record.key), `k${i}`);
      assert.deepEqual([...record.value!], [...sent[i].value], `record ${i}`);
    });
    assert.equal(read[sent.length].value, null);
    // Each record's bytes are its own: writing one leaves every other as it was.
    read.forEach((record, i) => record.value?.fill(i % 256));
    read.slice(0, sent.length).forEach((record, i) => {
      assert.ok(record.value!.every((byte) => byte === i % 256), `record ${i} was overwritten`);
    });
  });

  t("delivery errors: unknown topic and message too large", async (transport) => {
    const topic = await freshTopic(transport, 1);
    // librdkafka waits for an unknown topic's metadata this long before failing its messages.
    const producer = await transport.producer({
      "message.max.bytes": 1000,
      "topic.metadata.propagation.max.ms": 1000,
    });
    const [missing, big, fine] = await producer.send([
      { topic: uniqueName("missing"), key: null, value: bytes("x") },
      { topic, key: null, value: new Uint8Array(5000) },
      { topic, key: null, value: bytes("ok") },
    ]);
    await producer.close();
    assert.ok(!missing.ok && missing.error instanceof TransportError);
    // librdkafka names it locally (_UNKNOWN_TOPIC) or as the broker does.
    assert.match(
      String((missing.error as TransportError).codeName),
      /^(_UNKNOWN_TOPIC|UNKNOWN_TOPIC_OR_PART)$/,
    );
    assert.ok(!big.ok && big.error instanceof TransportError);
    assert.equal((big.error as TransportError).codeName, "MSG_SIZE_TOO_LARGE");
    assert.ok(fine.ok);
  });

  t("commit, close, reopen resumes from the committed offset", async (transport) => {
    const topic = await freshTopic(transport, 1);
    await sendAll(
      transport,
      Array.from({ length: 10 }, (_, i) => ({ topic, key: null, value: bytes(`${i}`) })),
    );
    const groupId = uniqueName("g");
    const first = await transport.consumer({ groupId, fromBeginning: true, properties: fastGroup });
    await first.subscribe([topic]);
    const read = await consumeN(first, 4);
    assert.equal(read.length, 4);
    await first.commit([{ topic, partition: 0, offset: read[3].offset + 1 }]);
    assert.deepEqual(await first.committed([{ topic, partition: 0 }]), [{
      topic,
      partition: 0,
      offset: 4,
    }]);
    await first.close();
    const admin = await transport.admin();
    assert.deepEqual(await admin.groupOffsets(groupId), [{ topic, partition: 0, offset: 4 }]);
    await admin.close();
    const second = await transport.consumer({
      groupId,
      fromBeginning: true,
      properties: fastGroup,
    });
    await second.subscribe([topic]);
    const rest = await consumeN(second, 6);
    await second.close();
    assert.deepEqual(rest.map((m) => str(m.value)), ["4", "5", "6", "7", "8", "9"]);
  });

  t("two members split partitions; a leaving member's move to the other", async (transport) => {
    const topic = await freshTopic(transport, 4);
    const groupId = uniqueName("g");
    const options = { groupId, fromBeginning: true, properties: fastGroup };
    const a = await transport.consumer(options);
    const b = await transport.consumer(options);
    const events: RebalanceEvent[] = [];
    a.onRebalance((e) => events.push(e));
    await a.subscribe([topic]);
    await waitFor(() => a.assignment().length === 4, "a owns 4", () => a.poll(10, 100));
    await b.subscribe([topic]);
    await waitFor(
      () => a.assignment().length === 2 && b.assignment().length === 2,
      "2 + 2",
      () => Promise.all([a.poll(10, 100), b.poll(10, 100)]),
    );
    const owned = [...a.assignment(), ...b.assignment()].map((tp) => tp.partition).sort();
    assert.deepEqual(owned, [0, 1, 2, 3]);
    assert.ok(events.some((e) => e.type === "revoke"));
    await b.close();
    await waitFor(() => a.assignment().length === 4, "a owns 4 again", () => a.poll(10, 100));
    await a.close();
  });

  t("seek moves the fetch position", async (transport) => {
    const topic = await freshTopic(transport, 1);
    await sendAll(
      transport,
      Array.from({ length: 5 }, (_, i) => ({ topic, key: null, value: bytes(`${i}`) })),
    );
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    assert.equal((await consumeN(consumer, 5)).length, 5);
    await consumer.seek({ topic, partition: 0, offset: 2 });
    const again = await consumeN(consumer, 3);
    await consumer.close();
    assert.deepEqual(again.map((m) => m.offset), [2, 3, 4]);
  });

  t("pause stops a partition, resume restarts it", async (transport) => {
    const topic = await freshTopic(transport, 1);
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    await waitFor(
      () => consumer.assignment().length === 1,
      "assignment",
      () => consumer.poll(1, 100),
    );
    consumer.pause([{ topic, partition: 0 }]);
    await sendAll(transport, [{ topic, key: null, value: bytes("x") }]);
    assert.deepEqual(await consumer.poll(10, 1000), []);
    consumer.resume([{ topic, partition: 0 }]);
    const got = await consumeN(consumer, 1);
    await consumer.close();
    assert.deepEqual(got.map((m) => str(m.value)), ["x"]);
  });

  t("close flushes messages sent without awaiting", async (transport) => {
    const topic = await freshTopic(transport, 2);
    const producer = await transport.producer();
    const pending = Array.from(
      { length: 20 },
      (_, i) => producer.send([{ topic, key: bytes(`k${i}`), value: bytes(`${i}`) }]),
    );
    await producer.close();
    const results = (await Promise.all(pending)).flat();
    assert.equal(results.filter((r) => r.ok).length, 20);
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    const got = await consumeN(consumer, 20);
    await consumer.close();
    assert.equal(got.length, 20);
  });

  t("lag is the high watermark minus the position", async (transport) => {
    const topic = await freshTopic(transport, 1);
    await sendAll(
      transport,
      Array.from({ length: 10 }, (_, i) => ({ topic, key: null, value: bytes(`${i}`) })),
    );
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    assert.equal((await consumeN(consumer, 4)).length, 4);
    assert.deepEqual(consumer.lag(), [
      { topic, partition: 0, position: 4, highWatermark: 10, lag: 6 },
    ]);
    assert.equal((await consumeN(consumer, 6)).length, 6);
    await sendAll(transport, [{ topic, key: null, value: bytes("late") }]);
    assert.equal((await consumeN(consumer, 1)).length, 1);
    assert.deepEqual(consumer.lag(), [
      { topic, partition: 0, position: 11, highWatermark: 11, lag: 0 },
    ]);
    await consumer.close();
  });

  t("a revoke listener still owns the partitions and its commit lands", async (transport) => {
    const topic = await freshTopic(transport, 2);
    await sendAll(
      transport,
      Array.from({ length: 10 }, (_, i) => ({
        topic,
        partition: i % 2,
        key: null,
        value: bytes(`${i}`),
      })),
    );
    const groupId = uniqueName("g");
    const options = { groupId, fromBeginning: true, properties: fastGroup };
    const a = await transport.consumer(options);
    await a.subscribe([topic]);
    assert.equal((await consumeN(a, 10)).length, 10);
    const ownedAtRevoke: number[][] = [];
    const revoked = new Set<number>();
    const commits: Promise<void>[] = [];
    const unlisten = a.onRebalance((event) => {
      if (event.type !== "revoke") return;
      ownedAtRevoke.push(a.assignment().map((tp) => tp.partition).sort());
      for (const tp of event.partitions) revoked.add(tp.partition);
      commits.push(a.commit(event.partitions.map((tp) => ({ ...tp, offset: 5 }))));
    });
    const b = await transport.consumer(options);
    await b.subscribe([topic]);
    await waitFor(
      () => a.assignment().length === 1 && b.assignment().length === 1,
      "1 + 1",
      () => Promise.all([a.poll(10, 100), b.poll(10, 100)]),
    );
    assert.ok(ownedAtRevoke.length > 0, "a saw a revoke");
    for (const owned of ownedAtRevoke) assert.ok(owned.length > 1, `a owned ${owned} at revoke`);
    unlisten();
    await Promise.all(commits);
    const admin = await transport.admin();
    const committed = await admin.groupOffsets(groupId);
    await admin.close();
    assert.deepEqual(
      committed.map((o) => [o.partition, o.offset]).sort(),
      [...revoked].sort().map((partition) => [partition, 5]),
    );
    assert.deepEqual(await b.poll(10, 500), [], "b starts after the committed offsets");
    await Promise.all([a.close(), b.close()]);
  });

  t("admin: brokers, describeTopic, replication factor and topic configs", async (transport) => {
    const admin = await transport.admin();
    try {
      const brokers = await admin.brokers();
      assert.ok(brokers.length >= 1, "the cluster lists its brokers");
      const topic = uniqueName("conf-rf");
      assert.equal(
        await admin.ensureTopic({ topic, partitions: 2, config: { "retention.ms": "3600000" } }),
        true,
      );
      let described = await admin.describeTopic(topic);
      assert.deepEqual(described.map((p) => p.partition), [0, 1]);
      for (const p of described) {
        assert.equal(p.replicas.length, Math.min(3, brokers.length), "default replication factor");
        assert.ok(brokers.includes(p.leader), `leader ${p.leader} is one of ${brokers}`);
        assert.ok(p.isr.includes(p.leader));
      }
      const explicit = uniqueName("conf-rf1");
      assert.equal(await admin.ensureTopic({ topic: explicit, replicationFactor: 1 }), true);
      described = await admin.describeTopic(explicit);
      assert.deepEqual(described.map((p) => p.replicas.length), [1]);
      await assert.rejects(
        admin.ensureTopic({ topic: uniqueName("conf-rf9"), replicationFactor: brokers.length + 1 }),
        (error: unknown) => error instanceof TransportError,
      );
      await assert.rejects(admin.describeTopic(uniqueName("conf-none")), TransportError);
    } finally {
      await admin.close();
    }
  });

  t("cooperative-sticky: members give up only the partitions that move", async (transport) => {
    const topic = await freshTopic(transport, 4);
    const groupId = uniqueName("g");
    const options = {
      groupId,
      fromBeginning: true,
      properties: { ...fastGroup, "partition.assignment.strategy": "cooperative-sticky" },
    };
    const a = await transport.consumer(options);
    const b = await transport.consumer(options);
    const events: RebalanceEvent[] = [];
    a.onRebalance((e) => events.push(e));
    await a.subscribe([topic]);
    await waitFor(() => a.assignment().length === 4, "a owns 4", () => a.poll(10, 100));
    await b.subscribe([topic]);
    await waitFor(
      () => a.assignment().length === 2 && b.assignment().length === 2,
      "2 + 2",
      () => Promise.all([a.poll(10, 100), b.poll(10, 100)]),
    );
    const revokes = events.filter((e) => e.type === "revoke");
    assert.ok(revokes.length > 0, "a gave partitions up");
    for (const revoke of revokes) assert.equal(revoke.partitions.length, 2, "only what moves");
    await b.close();
    await waitFor(() => a.assignment().length === 4, "a owns 4 again", () => a.poll(10, 100));
    assert.equal(events.at(-1)?.type, "assign");
    assert.equal(events.at(-1)?.partitions.length, 2, "b's partitions added to a's");
    await a.close();
  });

  t("the consumer group protocol (KIP-848): incremental, and commits land", async (transport) => {
    const topic = await freshTopic(transport, 4);
    const groupId = uniqueName("g");
    // The broker runs this protocol's timeouts; librdkafka refuses session settings with it.
    const options = { groupId, fromBeginning: true, properties: { "group.protocol": "consumer" } };
    const a = await transport.consumer(options);
    const b = await transport.consumer(options);
    const events: RebalanceEvent[] = [];
    a.onRebalance((e) => events.push(e));
    await a.subscribe([topic]);
    await waitFor(() => a.assignment().length === 4, "a owns 4", () => a.poll(10, 100));
    await b.subscribe([topic]);
    await waitFor(
      () => a.assignment().length === 2 && b.assignment().length === 2,
      "2 + 2",
      () => Promise.all([a.poll(10, 100), b.poll(10, 100)]),
    );
    const revokes = events.filter((e) => e.type === "revoke");
    assert.ok(revokes.length > 0, "a gave partitions up");
    for (const revoke of revokes) assert.equal(revoke.partitions.length, 2, "only what moves");
    const [kept] = a.assignment();
    await a.commit([{ ...kept, offset: 0 }]);
    const admin = await transport.admin();
    const committed = await admin.groupOffsets(groupId);
    await admin.close();
    assert.deepEqual(committed.map((o) => [o.partition, o.offset]), [[kept.partition, 0]]);
    await b.close();
    await waitFor(() => a.assignment().length === 4, "a owns 4 again", () => a.poll(10, 100));
    await a.close();
  });
}
