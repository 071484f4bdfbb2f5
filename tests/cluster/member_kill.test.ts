/**
 * A group member killed (SIGKILL) during a cooperative rebalance: a
 * cooperative-sticky ConsumerLoop group of two in-process members and one
 * child process handles a continuous stream; a fourth member joins and the
 * child is killed at once. Its partitions move to the others after its
 * session times out, and no message is skipped.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { test } from "node:test";
import { runtime, uniqueName } from "../support.ts";
import { type Item, jsonModel, quiet, watched } from "../loop/loop_support.ts";
import {
  clusterTransport,
  report,
  seconds,
  skipWithoutCluster,
  sleep,
  waitFor,
} from "./cluster_support.ts";
import { memberSettings, uncommittedWindow } from "./member_settings.ts";
import { Handled, Stream } from "./stream_support.ts";

const partitions = 6;
const script = new URL("./member_child.ts", import.meta.url).pathname;

/** Starts the child member through a shell that records its pid (see tests/loop/crash.test.ts). */
function startChild(topic: string, group: string, outfile: string): string {
  const args = runtime === "deno"
    ? ["run", "-A", script]
    : runtime === "bun"
    ? [script]
    : ["--import", "tsx", script];
  const pidFile = `${outfile}.pid`;
  spawn("sh", [
    "-c",
    `"$@" & echo $! > "${pidFile}"; wait $!`,
    "sh",
    process.execPath,
    ...args,
    topic,
    group,
    outfile,
  ], { stdio: ["ignore", "inherit", "inherit"] });
  return pidFile;
}

const lines = (file: string) => existsSync(file) ? readFileSync(file, "utf8") : "";

test(
  "a member killed (SIGKILL) during a cooperative rebalance: its partitions move, nothing is skipped",
  { timeout: 300_000, skip: skipWithoutCluster },
  async () => {
    const base = await clusterTransport();
    const { transport, watch } = watched(base);
    const topic = uniqueName("cluster-member-kill");
    const group = uniqueName("cluster-member-kill-g");
    const admin = await transport.admin();
    await admin.ensureTopic({ topic, partitions });
    await admin.close();
    const handled = new Handled();
    const member = () =>
      new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (_item, ctx) => void handled.add(ctx.partition, ctx.offset),
        settings: memberSettings,
        handleSignals: false,
        logger: quiet,
      });
    const loops = [member(), member()];
    const runs = loops.map((loop) => loop.run());
    const stream = await Stream.start(transport, topic);
    const childFile = join(mkdtempSync(join(tmpdir(), "flowodm-cluster-")), "child.txt");
    const pidFile = startChild(topic, group, childFile);
    let killedAt = 0;
    let movedAt = 0;
    // In-process ownership, counted over every in-process member's events.
    const owners = new Map<number, number>();
    const inProcess = () => [...owners.values()].filter((n) => n > 0).length;
    let seen = 0;
    const trackOwners = () => {
      for (const event of watch.rebalances.slice(seen)) {
        for (const tp of event.partitions) {
          owners.set(
            tp.partition,
            (owners.get(tp.partition) ?? 0) + (event.type === "assign" ? 1 : -1),
          );
        }
      }
      seen = watch.rebalances.length;
      return inProcess();
    };
    try {
      await waitFor(
        () => lines(childFile).length > 0,
        90_000,
        "the child member to handle messages",
      );
      await waitFor(() => trackOwners() < partitions, 30_000, "the child to own partitions");
      const childOwned = partitions - trackOwners();
      // A member joins (a cooperative rebalance begins) and the child dies within it.
      const joiner = member();
      loops.push(joiner);
      runs.push(joiner.run());
      await sleep(300);
      const pid = Number(readFileSync(pidFile, "utf8"));
      process.kill(pid, "SIGKILL");
      killedAt = Date.now();
      await waitFor(() => trackOwners() === partitions, 60_000, "the child's partitions to move");
      movedAt = Date.now();
      await sleep(1_000);
      await stream.stop();
      const combined = () => {
        const all = new Handled();
        all.addLines(lines(childFile));
        return all;
      };
      await waitFor(
        () => {
          const child = combined();
          return handled.missing(stream).every((key) => child.has(key));
        },
        120_000,
        "every acked message to be handled by some member",
      );
      await sleep(500);
      for (const loop of loops) loop.stop();
      for (const run of runs) await run;

      const child = combined();
      const gaps = handled.missing(stream).filter((key) => !child.has(key));
      const total = handled.total + child.total;
      const duplicates = total - stream.count;
      const bound = childOwned * uncommittedWindow +
        watch.rebalances.filter((e) => e.type === "revoke").reduce(
            (sum, e) => sum + e.partitions.length,
            0,
          ) * uncommittedWindow;
      report("member killed in a cooperative rebalance", {
        messages: stream.count,
        handled: total,
        byChild: child.total,
        duplicates,
        duplicateBound: bound,
        childPartitions: childOwned,
        partitionsMovedAfter: seconds(movedAt - killedAt),
        maxHandleStall: seconds(handled.maxStallMs),
      });
      assert.equal(stream.failed, 0, "every message was acked");
      assert.deepEqual(gaps.slice(0, 10), [], "nothing skipped");
      assert.ok(duplicates <= bound, `${duplicates} duplicates > bound ${bound}`);
      assert.equal(
        loops.reduce((sum, loop) => sum + loop.stats.processed, 0),
        handled.total,
        "loop stats count every handler call",
      );
    } finally {
      for (const loop of loops) loop.stop();
      await Promise.allSettled(runs);
      await stream.stop();
      if (!killedAt && existsSync(pidFile)) {
        process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
      }
      await base.close();
    }
  },
);
