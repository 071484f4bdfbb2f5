/**
 * The cluster suite's view of the three-node cluster that `deno task test`
 * starts once (FLOWODM_CLUSTER_BOOTSTRAP): stopping, killing and restarting
 * nodes through scripts/stack/cluster.ts, finding leaders, waiting until the
 * cluster is whole again, and reporting what a scenario measured.
 */
import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import process from "node:process";
import type { Transport, TransportAdmin } from "../../src/transport/types.ts";
import { createTransport } from "../../src/transport/select.ts";
import { env, runtime } from "../support.ts";

/** The cluster's bootstrap list; undefined outside `deno task test`, and the tests skip. */
export const clusterBootstrap = env("FLOWODM_CLUSTER_BOOTSTRAP");

/** Why the cluster tests are skipped, when they are. */
export const skipWithoutCluster = clusterBootstrap
  ? false
  : "FLOWODM_CLUSTER_BOOTSTRAP is not set (deno task test starts the cluster)";

/** The node ids of the cluster. */
export const nodeIds = [1, 2, 3] as const;

const script = new URL("../../scripts/stack/cluster.ts", import.meta.url).pathname;

/** Runs scripts/stack/cluster.ts with `args` (start N, stop N, kill N) and waits for it. */
export function clusterCommand(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("deno", ["run", "-A", script, ...args], (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`cluster ${args.join(" ")} failed: ${error}\n${stdout}${stderr}`));
      } else resolve();
    });
  });
}

/** A transport to the cluster with this runtime's default implementation. */
export function clusterTransport(properties: Record<string, string | number | boolean> = {}) {
  return createTransport({ bootstrapServers: clusterBootstrap!, properties });
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; rejects after `timeoutMs` naming `what`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(everyMs);
  }
}

/**
 * Waits until every node is a broker again and every partition of `topics`
 * (and of the group offsets topic) has its three replicas in sync: the state
 * the next test expects.
 */
export async function waitWhole(admin: TransportAdmin, topics: readonly string[]): Promise<void> {
  await waitFor(
    async () => {
      if ((await admin.brokers()).length !== nodeIds.length) return false;
      for (const topic of [...topics, "__consumer_offsets"]) {
        const partitions = await admin.describeTopic(topic).catch(() => undefined);
        if (topic !== "__consumer_offsets" && !partitions) return false;
        if (partitions?.some((p) => p.leader < 0 || p.isr.length < nodeIds.length)) return false;
      }
      return true;
    },
    180_000,
    `the cluster to be whole (${topics.join(", ")})`,
    500,
  );
}

/** Starts every node that does not answer, then waits until the cluster is whole. */
export async function heal(transport: Transport, topics: readonly string[]): Promise<void> {
  for (const id of nodeIds) await clusterCommand("start", String(id));
  const admin = await transport.admin();
  try {
    await waitWhole(admin, topics);
  } finally {
    await admin.close();
  }
}

/** Where the scenarios' measurements are collected; `deno task test` prints the file at its end. */
export const reportFile = ".flowodm/reports/cluster.txt";

/**
 * Prints one line of measurements of a scenario, and appends it to
 * {@link reportFile}: the dot reporters of `deno task test` hide what passing
 * tests print.
 */
export function report(scenario: string, facts: Record<string, string | number>): void {
  const text = Object.entries(facts).map(([k, v]) => `${k}=${v}`).join(" ");
  const line = `[cluster] ${scenario} (${runtime}): ${text}`;
  console.log(line);
  mkdirSync(".flowodm/reports", { recursive: true });
  appendFileSync(reportFile, `${line}\n`);
}

/** Seconds with one decimal. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

const lockFile = ".flowodm/reports/cluster.lock";

function lockHolder(): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, "utf8"));
    process.kill(pid, 0); // throws when no such process
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Runs `body` while no other process stops or starts nodes: Node's test
 * runner may run test files in parallel, and two tests that each take a node
 * down would leave one replica of three.
 */
export async function exclusively<T>(body: () => Promise<T>): Promise<T> {
  mkdirSync(".flowodm/reports", { recursive: true });
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" }); // fails when it exists
      break;
    } catch {
      if (lockHolder() === undefined) rmSync(lockFile, { force: true }); // its holder died
      else await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
