/**
 * The test command (`deno task test`): installs what is missing, starts the
 * local stack unless one is configured, runs every test file under Deno, Node
 * and Bun, and ends with one line `N passed, N failed, N skipped` summing all
 * runtimes. Exits non-zero on any failure.
 *
 * Tests are plain `node:test` (helpers in tests/support.ts). File names
 * choose runtimes: `x.test.ts` runs on all three (a test registered inside
 * `if (runsOn([...]))` exists only there); `x.deno.test.ts`,
 * `x.node.test.ts`, `x.bun.test.ts` run on that runtime only.
 *
 * Files named `x.unit.test.ts` need no server: when every selected file is
 * one, no stack is started (`deno task test tests/avro` runs in seconds
 * without a JVM). Any other selected file starts the stack for the run.
 *
 * The cluster suite (tests/cluster/) needs the three-node cluster: when any
 * of its files is selected, the cluster is started once here (unless
 * FLOWODM_CLUSTER_BOOTSTRAP names one) and shared by the three runtimes
 * through FLOWODM_CLUSTER_BOOTSTRAP; it is stopped at the end if this run
 * started it.
 *
 * Usage: deno task test [--runtime deno|node|bun]... [--no-setup] [path filter]...
 */
import { parseArgs } from "node:util";
import { countJUnit, type TestCounts } from "./test/junit.ts";
import { isUnitTest, testFilesFor } from "./test/files.ts";

type Runtime = "deno" | "node" | "bun";
const allRuntimes: Runtime[] = ["deno", "node", "bun"];
const reports = ".flowodm/reports";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    runtime: { type: "string", multiple: true },
    "no-setup": { type: "boolean", default: false },
  },
});
const runtimes = (values.runtime as Runtime[] | undefined) ?? allRuntimes;

/** A runtime's whole suite normally takes minutes; past this, something hangs. */
const runtimeDeadlineMs = 30 * 60_000;

/** The last lines a runtime printed: when it dies without a report, the summary shows why. */
const lastLines: string[] = [];

async function copyKeepingTail(from: ReadableStream<Uint8Array>, to: typeof Deno.stdout) {
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of from) {
    await to.write(chunk);
    const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
    partial = lines.pop() ?? "";
    lastLines.push(...lines.filter((line) => line.trim() !== ""));
    if (lastLines.length > 40) lastLines.splice(0, lastLines.length - 40);
  }
}

async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  deadlineMs?: number,
): Promise<number> {
  const child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).spawn();
  lastLines.length = 0;
  const copied = Promise.all([
    copyKeepingTail(child.stdout, Deno.stdout),
    copyKeepingTail(child.stderr, Deno.stderr),
  ]);
  const timer = deadlineMs === undefined ? undefined : setTimeout(() => {
    console.error(`${cmd}: still running after ${deadlineMs / 60_000} minutes; killing it`);
    child.kill("SIGKILL");
  }, deadlineMs);
  try {
    const { code } = await child.status;
    await copied;
    return code;
  } finally {
    clearTimeout(timer);
  }
}

function commandFor(runtime: Runtime, files: string[], junit: string): [string, string[]] {
  switch (runtime) {
    case "deno":
      // Test names as they run: if the process dies (a native crash), its last lines name the test.
      return ["deno", ["test", "-A", "--reporter=pretty", `--junit-path=${junit}`, ...files]];
    case "node":
      return ["node", [
        "--import",
        "tsx",
        "--test",
        "--test-reporter=dot",
        "--test-reporter-destination=stdout",
        "--test-reporter=junit",
        `--test-reporter-destination=${junit}`,
        ...files,
      ]];
    case "bun":
      return ["bun", [
        "test",
        "--timeout=60000",
        "--reporter=junit",
        `--reporter-outfile=${junit}`,
        ...files,
      ]];
  }
}

async function runRuntime(runtime: Runtime, stackEnv: Record<string, string>): Promise<TestCounts> {
  const files = await testFilesFor(runtime, "tests", positionals);
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  const junit = `${reports}/${runtime}.xml`;
  await Deno.remove(junit).catch(() => {});
  console.log(`\n== ${runtime}: ${files.length} test files`);
  const [cmd, args] = commandFor(runtime, files, junit);
  const code = await run(cmd, args, stackEnv, runtimeDeadlineMs);
  let counts: TestCounts;
  try {
    counts = countJUnit(await Deno.readTextFile(junit));
  } catch {
    const why =
      `${runtime}: no complete test report (exit code ${code}); counting the run as failed. ` +
      `Its last lines:\n  ${lastLines.join("\n  ")}`;
    console.error(why);
    summary.push(why);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  if (code !== 0 && counts.failed === 0) {
    console.error(
      `${runtime}: exited with code ${code} although no test failed; counting one failure`,
    );
    counts = { ...counts, failed: 1 };
    summary.push(
      `${runtime}: exited with code ${code} although no test failed. Its last lines:\n  ${
        lastLines.join("\n  ")
      }`,
    );
  }
  const line =
    `${runtime}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
  console.log(line);
  summary.push(
    line,
    ...(counts.failures ?? []).map(({ name, reason }) =>
      `  failed: ${name}${reason ? `\n    ${reason.replaceAll("\n", "\n    ")}` : ""}`
    ),
  );
  return counts;
}

await Deno.mkdir(reports, { recursive: true });
if (!values["no-setup"]) {
  const code = await run("bash", ["scripts/bootstrap.sh"]);
  if (code !== 0) {
    console.log("0 passed, 1 failed");
    Deno.exit(code);
  }
}
const selected = (await Promise.all(runtimes.map((r) => testFilesFor(r, "tests", positionals))))
  .flat();
const stackEnv: Record<string, string> = {};
let endCluster = () => Promise.resolve();
if (selected.every(isUnitTest)) {
  console.log("stack: not started (only unit tests selected)");
} else {
  endCluster = await startStack(stackEnv);
}

/** Starts the servers the selected tests need and puts their addresses into `env`. */
async function startStack(env: Record<string, string>): Promise<() => Promise<void>> {
  const { connectStackUp, stackUp } = await import("./stack.ts");
  const localStack = !Deno.env.get("KAFKA_BOOTSTRAP_SERVERS") &&
    !Deno.env.get("SCHEMA_REGISTRY_URL");
  const stack = await stackUp();
  Object.assign(env, {
    KAFKA_BOOTSTRAP_SERVERS: stack.bootstrapServers,
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    FLOWODM_LOCAL_STACK: localStack ? "1" : "0",
  });
  // The secured broker and registry proxy cost a JVM and an nginx: started only when security tests run.
  if (selected.some((file) => file.includes("tests/security/"))) {
    const { startSecureStack } = await import("./stack/secure.ts");
    env.FLOWODM_SECURE_STACK = await startSecureStack(stack.schemaRegistryUrl);
  }
  const { startClusterFor } = await import("./test/cluster.ts");
  const end = await startClusterFor(runtimes, positionals, env);
  // Kafka Connect and PostgreSQL are heavy too: started once, only when connect or sync tests run.
  if (selected.some((file) => /tests\/(connect|sync)\//.test(file))) {
    const connectStack = await connectStackUp(stack.bootstrapServers);
    Object.assign(env, {
      KAFKA_CONNECT_URL: connectStack.kafkaConnectUrl,
      FLOWODM_POSTGRES_URL: connectStack.postgresUrl,
    });
  }
  return end;
}

const summary: string[] = [];
const total: TestCounts = { passed: 0, failed: 0, skipped: 0 };
for (const runtime of runtimes) {
  const counts = await runRuntime(runtime, stackEnv);
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}
await endCluster();
console.log(`\n== summary\n${summary.join("\n")}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
Deno.exit(total.failed > 0 ? 1 : 0);
