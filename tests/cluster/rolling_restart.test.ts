/**
 * A rolling restart under load: each node is stopped (SIGTERM, a controlled
 * shutdown) and started again in turn while a three-member ConsumerLoop group
 * (the eager default protocol) handles a continuous keyed stream. Every message
 * is handled at least once with no gap in any partition, duplicates stay within
 * what was uncommitted at the revokes, and the loops' stats agree with it.
 */
import assert from "node:assert/strict";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { type Item, jsonModel, quiet, watched } from "../loop/loop_support.ts";
import {
  clusterCommand,
  clusterTransport,
  exclusively,
  heal,
  nodeIds,
  report,
  seconds,
  skipWithoutCluster,
  sleep,
  waitFor,
  waitWhole,
} from "./cluster_support.ts";
import { Handled, Stream } from "./stream_support.ts";

const partitions = 6;
const members = 3;
const settings = RealTimeSettings({
  consumer: {
    "auto.offset.reset": "earliest",
    "session.timeout.ms": 6_000,
    "heartbeat.interval.ms": 500,
  },
  pollBatchSize: 20,
  commitEvery: 20,
  commitIntervalMs: 200,
});
/** The most a member can have received and not committed for one partition. */
const uncommittedWindow = settings.pollBatchSize + settings.commitEvery + 1;

test("rolling restart: each node stopped and restarted under a three-member loop group", {
  timeout: 420_000,
  skip: skipWithoutCluster,
}, () =>
  exclusively(async () => {
    const base = await clusterTransport();
    const { transport, watch } = watched(base);
    const topic = uniqueName("cluster-rolling");
    const group = uniqueName("cluster-rolling-g");
    const admin = await transport.admin();
    await admin.ensureTopic({ topic, partitions });
    const handled = new Handled();
    const loops = Array.from({ length: members }, () =>
      new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (_item, ctx) => void handled.add(ctx.partition, ctx.offset),
        settings,
        handleSignals: false,
        logger: quiet,
      }));
    const runs = loops.map((loop) => loop.run());
    const stream = await Stream.start(transport, topic);
    const restarts: string[] = [];
    try {
      await waitFor(() => handled.unique >= 200, 60_000, "the group to handle 200 messages");
      for (const id of nodeIds) {
        const before = handled.unique;
        const stopping = Date.now();
        await clusterCommand("stop", String(id));
        const stopped = Date.now();
        await waitFor(() => handled.unique > before + 100, 60_000, "handling to go on");
        await clusterCommand("start", String(id));
        await waitWhole(admin, [topic]);
        restarts.push(
          `node${id}:stop=${seconds(stopped - stopping)},whole=${seconds(Date.now() - stopping)}`,
        );
      }
      await stream.stop();
      await waitFor(() => handled.covers(stream), 120_000, "every acked message to be handled");
      await sleep(500); // late duplicates still in flight are counted too
    } finally {
      for (const loop of loops) loop.stop();
      await Promise.allSettled(runs);
      await stream.stop();
      await admin.close();
      await heal(transport, [topic]);
    }
    for (const run of runs) await run; // a loop that failed fails the test

    const revokedPartitions = watch.rebalances.filter((e) => e.type === "revoke")
      .reduce((sum, e) => sum + e.partitions.length, 0);
    const bound = revokedPartitions * uncommittedWindow;
    const processed = loops.reduce((sum, loop) => sum + loop.stats.processed, 0);
    report("rolling restart", {
      messages: stream.count,
      handled: handled.total,
      duplicates: handled.duplicates,
      duplicateBound: bound,
      revokedPartitions,
      maxProduceStall: seconds(stream.maxStallMs),
      maxHandleStall: seconds(handled.maxStallMs),
      restarts: restarts.join(";"),
    });
    assert.equal(stream.failed, 0, "every message was acked");
    assert.deepEqual(handled.missing(stream).slice(0, 10), [], "no gap in any partition");
    assert.ok(handled.duplicates <= bound, `${handled.duplicates} duplicates > bound ${bound}`);
    assert.equal(processed, handled.total, "loop stats count every handler call");
    for (const loop of loops) {
      assert.equal(loop.stats.failed, 0);
      assert.equal(loop.stats.inFlight, 0);
    }
    await base.close();
  }));
