/** `flowodm worker` as a process, on each runtime: SIGTERM stops every loop cleanly; a loop that keeps crashing ends it with exit 1. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { runtime } from "../support.ts";
import { committedTotal, loopTransport, seed, until } from "../loop/loop_support.ts";

const root = new URL("../../", import.meta.url).pathname;
const fixture = join(root, "tests/worker/consumers_fixture.ts");
// Below the ephemeral range, like tests/worker/worker.test.ts's ports.
const port = 29000 + { deno: 5, node: 15, bun: 25 }[runtime];

interface Child {
  readonly pidFile: string;
  readonly codeFile: string;
  readonly logFile: string;
}

/** Starts the CLI through a shell that records its pid and exit status (Deno misreports a signalled child's exit). */
function startWorker(env: Record<string, string>, out: string, extra: string[] = []): Child {
  const runner = runtime === "deno" ? ["run", "-A"] : runtime === "bun" ? [] : ["--import", "tsx"];
  const child = { pidFile: `${out}.pid`, codeFile: `${out}.code`, logFile: `${out}.log` };
  spawn("sh", [
    "-c",
    `"$@" 2> "${child.logFile}" & echo $! > "${child.pidFile}"; wait $!; echo $? > "${child.codeFile}"`,
    "sh",
    process.execPath,
    ...runner,
    join(root, "cli.ts"),
    "worker",
    "--consumers",
    fixture,
    ...extra,
  ], { stdio: ["ignore", "ignore", "inherit"], cwd: root, env: { ...process.env, ...env } });
  return child;
}

function text(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

function ids(file: string): number[] {
  return text(file).split("\n").filter(Boolean).map(Number);
}

async function exited(child: Child, timeoutMs: number): Promise<number> {
  try {
    await until(() => text(child.codeFile).trim() !== "", timeoutMs, "the worker to exit");
  } catch (error) {
    const pid = Number(text(child.pidFile));
    if (pid) process.kill(pid, "SIGKILL");
    throw new Error(`${error}\n${text(child.logFile)}`);
  }
  return Number(text(child.codeFile));
}

async function topics() {
  const transport = await loopTransport();
  const a = await seed(transport, "worker-proc-a", 40, 8, 2);
  const b = await seed(transport, "worker-proc-b", 30, 8, 2);
  const env = {
    WORKER_TOPIC_A: a.topic,
    WORKER_GROUP_A: a.group,
    WORKER_TOPIC_B: b.topic,
    WORKER_GROUP_B: b.group,
  };
  return { transport, a, b, env };
}

test("SIGTERM stops both loops: everything handled is committed and the worker exits 0", {
  timeout: 120_000,
}, async () => {
  const { transport, a, b, env } = await topics();
  const out = join(mkdtempSync(join(tmpdir(), "flowodm-worker-")), "ids");
  const child = startWorker({ ...env, WORKER_OUT: out }, out, ["--health-port", String(port)]);
  try {
    await until(
      () => ids(`${out}.a`).length >= 40 && ids(`${out}.b`).length >= 30,
      60_000,
      "both loops to handle their messages",
    );
  } catch (error) {
    throw new Error(`${error}\n${text(child.logFile)}`);
  }
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
  process.kill(Number(text(child.pidFile)), "SIGTERM");
  assert.equal(await exited(child, 30_000), 0, text(child.logFile));
  assert.equal(await committedTotal(transport, a.group), 40);
  assert.equal(await committedTotal(transport, b.group), 30);
  assert.equal(new Set(ids(`${out}.a`)).size, 40);
  assert.equal(new Set(ids(`${out}.b`)).size, 30);
  await transport.close();
});

test("a loop that keeps crashing is restarted, then the worker exits 1 naming it", {
  timeout: 120_000,
}, async () => {
  const { transport, a, env } = await topics();
  const out = join(mkdtempSync(join(tmpdir(), "flowodm-worker-")), "ids");
  const child = startWorker({ ...env, WORKER_OUT: out, WORKER_CRASH: "1" }, out, [
    "--max-restarts",
    "2",
  ]);
  const code = await exited(child, 90_000);
  const log = text(child.logFile);
  assert.equal(code, 1, log);
  assert.match(log, /loop crashed; restarting.*"loop":"b"/);
  assert.match(
    log,
    /loop b crashed and was restarted 2 time\(s\), then gave up: TransportError: connection to the cluster lost/,
  );
  // Loop a was stopped gracefully: what it handled is committed.
  assert.equal(await committedTotal(transport, a.group), ids(`${out}.a`).length);
  await transport.close();
});
