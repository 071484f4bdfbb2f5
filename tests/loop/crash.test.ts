import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { runsOn, runtime } from "../support.ts";
import { loopTransport, seed, until } from "./loop_support.ts";

const script = new URL("./crash_child.ts", import.meta.url).pathname;

/** A loop process and how it ended, read through a shell (Deno's node:child_process misreports the exit of a child it signalled). */
interface Child {
  readonly pidFile: string;
  readonly codeFile: string;
}

function startChild(topic: string, group: string, outfile: string): Child {
  const args = runtime === "deno"
    ? ["run", "-A", script]
    : runtime === "bun"
    ? [script]
    : ["--import", "tsx", script];
  const pidFile = `${outfile}.pid`;
  const codeFile = `${outfile}.code`;
  spawn("sh", [
    "-c",
    `"$@" & echo $! > "${pidFile}"; wait $!; echo $? > "${codeFile}"`,
    "sh",
    process.execPath,
    ...args,
    topic,
    group,
    outfile,
  ], { stdio: ["ignore", "inherit", "inherit"] });
  return { pidFile, codeFile };
}

/** Waits for the shell to record the child's pid. */
async function pidOf(child: Child): Promise<number> {
  const pidFile = child.pidFile;
  await until(
    () => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "",
    5_000,
    "child pid",
  );
  return Number(readFileSync(pidFile, "utf8"));
}

/** The exit status as the shell reports it: 128 + signal number when killed. */
async function exited(child: Child, timeoutMs: number): Promise<number> {
  try {
    await until(
      () => existsSync(child.codeFile) && readFileSync(child.codeFile, "utf8").trim() !== "",
      timeoutMs,
      "child exit",
    );
  } catch (error) {
    process.kill(await pidOf(child), "SIGKILL");
    throw error;
  }
  return Number(readFileSync(child.codeFile, "utf8"));
}

function ids(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number);
}

if (runsOn(["node", "deno", "bun"])) {
  test("kill -9 then SIGTERM under load: nothing lost, SIGTERM commits everything finished", {
    timeout: 120_000,
  }, async () => {
    const total = 300;
    const transport = await loopTransport();
    const { topic, group } = await seed(transport, "loop-crash", total, 30);
    const dir = mkdtempSync(join(tmpdir(), "flowodm-loop-"));
    const [a, b, c] = ["a", "b", "c"].map((run) => join(dir, `${run}.txt`));

    const crashed = startChild(topic, group, a);
    await until(() => ids(a).length >= 60, 30_000, "first run to handle 60");
    process.kill(await pidOf(crashed), "SIGKILL");
    assert.equal(await exited(crashed, 10_000), 128 + 9);

    const stopped = startChild(topic, group, b);
    await until(() => ids(b).length >= 60, 30_000, "second run to handle 60");
    process.kill(await pidOf(stopped), "SIGTERM");
    assert.equal(await exited(stopped, 20_000), 0, "graceful exit code");

    const last = startChild(topic, group, c);
    await until(
      () => new Set([...ids(a), ...ids(b), ...ids(c)]).size >= total,
      40_000,
      "all ids handled",
    );
    process.kill(await pidOf(last), "SIGTERM");
    assert.equal(await exited(last, 20_000), 0);

    const all = [...ids(a), ...ids(b), ...ids(c)];
    const unique = new Set(all);
    assert.equal(unique.size, total, "no message missing");
    const finishedBeforeSigterm = new Set(ids(b));
    const redelivered = ids(c).filter((id) => finishedBeforeSigterm.has(id));
    assert.deepEqual(redelivered, [], "SIGTERM run's finished messages were committed");
    console.log(
      `crash test [${runtime}]: ${all.length - unique.size} duplicates after kill -9 (allowed)`,
    );
    const admin = await transport.admin();
    const committed = await admin.groupOffsets(group);
    await admin.close();
    assert.equal(committed.reduce((sum, o) => sum + o.offset, 0), total);
    await transport.close();
  });
}
