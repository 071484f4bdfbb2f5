/**
 * Leader failover under load: 100,000 keyed messages through the default
 * producer while the leader of the busiest partition is killed (SIGKILL) and
 * restarted. Every message is acked with its offset, and reading the topic
 * back finds each exactly once, where its delivery report said.
 */
import assert from "node:assert/strict";
import type {
  DeliveryResult,
  PartitionReplicas,
  TransportAdmin,
} from "../../src/transport/types.ts";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import {
  clusterCommand,
  clusterTransport,
  exclusively,
  heal,
  report,
  seconds,
  skipWithoutCluster,
  waitFor,
} from "./cluster_support.ts";
import { ackedEnds, countIds, explainMissing, idOf, readBack } from "./read_back.ts";

const total = 100_000;
const chunk = 2_000;
const partitions = 6;
const encode = (text: string) => new TextEncoder().encode(text);

// One key in three is "hot": its partition is the busiest, and its leader is killed.
const keyOf = (i: number) => (i % 3 === 0 ? "hot" : `k${i % 997}`);

/**
 * Restarts the killed node at once, and measures until the partition has
 * another leader and until the node is back in its in-sync replicas.
 */
async function recover(
  admin: TransportAdmin,
  topic: string,
  partition: number,
  victim: number,
  killedAt: number,
) {
  const restart = clusterCommand("start", String(victim));
  let newLeader = 0;
  await waitFor(
    async () => {
      const p = (await admin.describeTopic(topic))[partition];
      if (p.leader >= 0 && p.leader !== victim) newLeader ||= Date.now() - killedAt;
      return newLeader > 0 && p.isr.length === 3;
    },
    180_000,
    "the killed leader to rejoin the in-sync replicas",
  );
  await restart;
  return { newLeader, inSync: Date.now() - killedAt };
}

test("leader failover: 100,000 keyed messages, the busiest leader killed and restarted", {
  timeout: 300_000,
  skip: skipWithoutCluster,
}, () =>
  exclusively(async () => {
    // The default producer; idempotence is set explicitly because main's default
    // producer does not set it yet (librdkafka's default is off).
    const transport = await clusterTransport();
    const topic = uniqueName("cluster-failover");
    const admin = await transport.admin();
    const producer = await transport.producer({ "enable.idempotence": true });
    try {
      assert.equal(await admin.ensureTopic({ topic, partitions }), true);
      // On a fresh cluster the broker asked may not know the new topic yet: ask until one does.
      let described: PartitionReplicas[] = [];
      await waitFor(
        async () => (described = await admin.describeTopic(topic)).length === partitions,
        60_000,
        `every broker to know ${topic}`,
      );
      assert.deepEqual(described.map((p) => p.replicas.length), Array(partitions).fill(3));

      const results: DeliveryResult[] = [];
      let hotPartition = -1;
      let victim = -1;
      let recovery: Promise<{ newLeader: number; inSync: number }> | undefined;
      let inFlight: Promise<DeliveryResult[]> | undefined;
      const started = Date.now();
      for (let from = 0; from < total; from += chunk) {
        const batch = Array.from({ length: Math.min(chunk, total - from) }, (_, n) => ({
          topic,
          key: encode(keyOf(from + n)),
          value: encode(String(from + n)),
        }));
        // Two chunks overlap, so one is in flight when the leader dies.
        const sent = producer.send(batch);
        if (inFlight) results.push(...await inFlight);
        inFlight = sent;
        if (hotPartition < 0 && results.length > 0) {
          const first = results[0];
          assert.ok(first.ok, `the first message failed: ${!first.ok && first.error}`);
          hotPartition = first.report.partition; // message 0 has the hot key
        }
        if (from === chunk * 5) {
          victim = (await admin.describeTopic(topic))[hotPartition].leader;
          const killedAt = Date.now();
          await clusterCommand("kill", String(victim));
          recovery = recover(admin, topic, hotPartition, victim, killedAt);
        }
      }
      results.push(...await inFlight!);
      const producedIn = Date.now() - started;
      assert.ok(recovery, "the leader was killed while producing");
      const { newLeader, inSync } = await recovery;

      const failed = results.filter((r) => !r.ok);
      assert.equal(
        failed.length,
        0,
        `not acked: ${failed.slice(0, 3).map((r) => !r.ok && r.error)}`,
      );
      assert.equal(results.length, total);
      // A report without an offset is librdkafka's "implicit ack": a failed batch taken as
      // written because a later one succeeded. It lost messages here before the idempotent
      // producer kept one request in flight per broker (issue #20).
      const unplaced = results.flatMap((r, id) => r.ok && r.report.offset < 0 ? [id] : []);

      // Every partition is read up to its last acked offset (from the delivery reports).
      const ends = ackedEnds(results);
      const first = await readBack(transport, topic, ends);
      const seen = countIds(first.messages);
      const lost = total - [...seen.keys()].filter((id) => id >= 0 && id < total).length;
      const duplicated = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
      report("leader failover", {
        messages: total,
        acked: results.length - failed.length,
        lost,
        duplicated,
        killedNode: victim,
        partition: hotPartition,
        newLeaderAfter: seconds(newLeader),
        inSyncAfter: seconds(inSync),
        producedIn: seconds(producedIn),
        ackedWithoutOffset: unplaced.length,
      });
      if (lost > 0) {
        // Who lost them: a second read in another group tells the consumer's side from the cluster's.
        const missing = results.map((_, id) => id).filter((id) => !seen.has(id));
        const second = await readBack(transport, topic, ends, 30_000);
        assert.fail(
          `${lost} acked messages not read back:\n` +
            explainMissing(results, missing, first, second),
        );
      }
      assert.equal(duplicated, 0, "messages duplicated");
      assert.deepEqual(unplaced.slice(0, 5), [], "messages acked without an offset");
      // Each delivery report names where its message is: the place it was read at.
      const misplaced = first.messages.filter((m) => {
        const r = results[idOf(m)];
        return r?.ok && r.report.offset >= 0 &&
          (r.report.partition !== m.partition || r.report.offset !== m.offset);
      });
      assert.deepEqual(
        misplaced.slice(0, 5).map((m) => `${idOf(m)} read at ${m.partition}@${m.offset}`),
        [],
        "delivery reports that name another place than where the message is",
      );
    } finally {
      await producer.close();
      await admin.close();
      await heal(transport, []);
      await transport.close();
    }
  }));
