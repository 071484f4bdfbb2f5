/**
 * `deno task bench`: makes sure the local stack runs, runs every scenario in
 * a fresh child process of its runtime, `--runs` times, and reports medians
 * with min and max, ratios taken run by run, and the targets. Writes
 * docs/benchmarks.json and docs/benchmarks.md.
 *
 *   deno task bench                      # 200 000 messages, 3 runs, 1M for memory
 *   deno task bench --quick              # 20 000 messages, 100 000 for memory: development
 *   deno task bench --only produce,serde # some sections
 *   deno task bench --smoke              # 2 000 messages, 1 run: checks every row runs (~3 min)
 *   deno task bench --only consume --rows platformatic,kafkajs,raw
 *
 * Options: --messages N, --runs N, --memory-messages N, --serde-ops N,
 * --latency-seconds N, --only sections, --rows substrings of row ids,
 * --note "text for the report", --from docs/benchmarks.json (re-render),
 * --out path/name (writes name.md and name.json; default docs/benchmarks, so
 * that development runs can stay out of the documented figures).
 * BENCH_MESSAGES and BENCH_RUNS in the environment set the defaults of
 * --messages and --runs (the other counts follow --messages unless given).
 */
import { parseArgs } from "node:util";
import { stackUp } from "../scripts/stack.ts";
import { orderModel } from "./record.ts";
import { consumerProperties, dropTopic, partitions, producerProperties } from "./common.ts";
import { describeMachine, type Machine } from "./machine.ts";
import { type Row, rows, type Section } from "./scenarios.ts";
import { spread } from "./stats.ts";
import { compare, evaluateTargets, judge } from "./compare.ts";
import { renderMarkdown, renderTable, type Summary } from "./report.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    messages: { type: "string" },
    runs: { type: "string" },
    "memory-messages": { type: "string" },
    "serde-ops": { type: "string" },
    "latency-seconds": { type: "string" },
    only: { type: "string", default: "" },
    rows: { type: "string", default: "" },
    note: { type: "string", default: "" },
    from: { type: "string", default: "" },
    out: { type: "string", default: "docs/benchmarks" },
  },
}).values;

const env = (name: string) => Deno.env.get(name) || undefined;
// --smoke proves every row runs; --quick is for development; the default is the documented run.
const scale = flags.smoke ? 0.01 : flags.quick ? 0.1 : 1;
const messages = Number(flags.messages ?? env("BENCH_MESSAGES") ?? 200_000 * scale);
const options = {
  messages,
  runs: Number(flags.runs ?? env("BENCH_RUNS") ?? (flags.smoke ? 1 : 3)),
  memoryMessages: Number(flags["memory-messages"] ?? Math.max(messages, 1_000_000 * scale)),
  serdeOps: Number(flags["serde-ops"] ?? Math.max(2_000, messages / 2)),
  latencySeconds: Number(flags["latency-seconds"] ?? (flags.smoke ? 2 : flags.quick ? 3 : 10)),
  only: flags.only ? flags.only.split(",") as Section[] : [],
  rows: flags.rows ? flags.rows.split(",") : [],
};
const python = ".flowodm/python/bin/python";
const wanted = (section: Section) => options.only.length === 0 || options.only.includes(section);
const picked = (row: Row) =>
  options.rows.length === 0 || options.rows.some((part) => row.id.includes(part));

/** One scenario's JSON line, or the error that stopped it. */
type Outcome = Record<string, number | string>;

function command(row: Row, extra: string[]): string[] {
  const file = `bench/${row.file}`;
  const client = ["--client", row.client];
  switch (row.runtime) {
    case "node":
      return ["node", ...(row.runtimeFlags ?? []), "--import", "tsx", file, ...client, ...extra];
    case "deno":
      return ["deno", "run", "-A", ...(row.runtimeFlags ?? []), file, ...client, ...extra];
    case "bun":
      return ["bun", ...(row.runtimeFlags ?? []), file, ...client, ...extra];
    case "python":
      return [python, file, row.section === "consume" ? "consume" : "produce", ...client, ...extra];
  }
}

async function spawn(
  argv: string[],
  timeoutMs = 600_000,
  env: Readonly<Record<string, string>> = {},
): Promise<Outcome> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  });
  try {
    const { stdout, stderr, success } = await child.output();
    const lines = new TextDecoder().decode(stdout).trim().split("\n").reverse();
    const line = lines.find((l) => l.startsWith("{") && l.includes('"scenario"'));
    if (success && line) return JSON.parse(line);
    // librdkafka's own log lines (starting with %) are noise next to the error.
    const errorText = new TextDecoder().decode(stderr).trim().split("\n")
      .filter((l) => l.trim() && !l.startsWith("%")).slice(-3).join(" | ");
    return { error: errorText || `exit without a result` };
  } catch (error) {
    return { error: String(error) };
  }
}

const results = new Map<string, Outcome[]>(rows.map((row) => [row.id, []]));

async function measure(row: Row, run: number, extra: string[]): Promise<void> {
  const started = performance.now();
  // Generous for a slow machine, but a stuck child must not stop the whole run.
  const at = extra.indexOf("--messages");
  const messages = at < 0 ? 0 : Number(extra[at + 1]);
  const timeoutMs = 120_000 + messages * 1.5 + options.latencySeconds * 2_000;
  const outcome = await spawn(command(row, [...extra, ...(row.args ?? [])]), timeoutMs, row.env);
  results.get(row.id)![run] = outcome;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const shown = outcome.error
    ? `FAILED: ${outcome.error}`
    : row.metrics.map((m) => `${Math.round(Number(outcome[m.key]) * 100) / 100} ${m.unit}`).join(
      ", ",
    );
  console.log(`  run ${run + 1} ${row.id.padEnd(36)} ${shown}  (${seconds} s)`);
}

async function prepareTopic(messages: number): Promise<string> {
  const outcome = await spawn([
    "node",
    "--import",
    "tsx",
    "bench/prepare.ts",
    "--messages",
    String(messages),
  ]);
  if (outcome.error) throw new Error(`could not prepare a topic: ${outcome.error}`);
  return String(outcome.topic);
}

/** Runs every wanted scenario, filling `results`; the machine it ran on. */
async function measureAll(): Promise<Machine> {
  const schemaFile = await Deno.makeTempFile({ suffix: ".avsc" });
  await Deno.writeTextFile(schemaFile, JSON.stringify(orderModel("schema").avroSchema));
  const throughputArgs = ["--messages", String(options.messages), "--schema-file", schemaFile];

  await stackUp();
  const machine = await describeMachine(python);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverage}`);

  const section = (name: Section) => rows.filter((row) => row.section === name && picked(row));
  for (let run = 0; run < options.runs; run++) {
    console.log(`run ${run + 1} of ${options.runs}`);
    if (wanted("produce") || wanted("runtimes")) {
      const produceRows = [
        ...(wanted("produce") ? section("produce") : []),
        ...(wanted("runtimes") ? section("runtimes").filter((r) => r.file === "produce.ts") : []),
      ];
      for (const row of produceRows) {
        await measure(
          row,
          run,
          row.runtime === "python" ? throughputArgs : throughputArgs.slice(0, 2),
        );
      }
    }
    if (wanted("consume") || wanted("runtimes")) {
      const topic = await prepareTopic(options.messages);
      const consumeRows = [
        ...(wanted("consume") ? section("consume") : []),
        ...(wanted("runtimes") ? section("runtimes").filter((r) => r.file === "consume.ts") : []),
      ];
      for (const row of consumeRows) {
        await measure(row, run, ["--messages", String(options.messages), "--topic", topic]);
      }
      await dropTopic(topic);
    }
    if (wanted("serde")) {
      for (const row of section("serde")) {
        await measure(row, run, ["--messages", String(options.serdeOps)]);
      }
    }
    if (wanted("latency")) {
      for (const row of section("latency")) {
        await measure(row, run, ["--seconds", String(options.latencySeconds), "--rate", "1000"]);
      }
    }
  }
  if (wanted("memory")) {
    console.log(`memory: preparing ${options.memoryMessages} messages once`);
    const topic = await prepareTopic(options.memoryMessages);
    for (let run = 0; run < options.runs; run++) {
      for (const row of section("memory")) {
        await measure(row, run, ["--messages", String(options.memoryMessages), "--topic", topic]);
      }
    }
    await dropTopic(topic);
  }
  await Deno.remove(schemaFile);
  return machine;
}

// --from re-renders an earlier run (its JSON) without measuring again.
const previous = flags.from ? JSON.parse(await Deno.readTextFile(flags.from)) : undefined;
if (previous) {
  for (const [id, outcomes] of Object.entries(previous.runs)) {
    // Runs from before the record shapes measured the order shape only.
    results.set(id.replace(/^serde\//, "serde-order/"), outcomes as Outcome[]);
  }
}
const startedAt: Date = previous ? new Date(previous.startedAt) : new Date();
const machine: Machine = previous ? previous.machine : await measureAll();
const finishedAt: Date = previous ? new Date(previous.finishedAt) : new Date();
if (!previous) {
  machine.loadAverage += ` (start), ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")} (end)`;
}

const value = (id: string, key: string) =>
  (results.get(id) ?? []).map((o) => (o && !o.error ? Number(o[key]) : undefined));
const summaries: Summary[] = rows.filter((row) => (results.get(row.id) ?? []).length > 0).map((
  row,
) => ({
  row,
  metrics: row.metrics.map((metric) => ({
    ...metric,
    spread: spread(value(row.id, metric.key).filter((x): x is number => x !== undefined)),
    ...(metric.ratios === false ? {} : compare(rows, row, metric.key, value)),
    targets: (row.targets ?? []).filter((t) => t.metric === metric.key).map((t) =>
      judge(rows, row, t, value)
    ),
  })),
  errors: (results.get(row.id) ?? []).filter((o) => o?.error).map((o) => String(o.error)),
}));
const measured = new Set(summaries.map((s) => s.row.id));
const targets = evaluateTargets(rows.filter((row) => measured.has(row.id)), value);
const settings = previous?.settings ?? {
  partitions,
  producerProperties,
  consumerProperties,
  recordBytes: 1024,
  ...options,
};

console.log(renderTable(summaries));
for (const target of targets) {
  console.log(
    `${
      target.met === undefined ? "n/a    " : target.met ? "MET    " : "NOT MET"
    }  ${target.name}: ${target.shown}`,
  );
}
const out = flags.out;
await Deno.mkdir(out.replace(/\/[^/]*$/, "") || ".", { recursive: true });
const report = {
  startedAt,
  finishedAt,
  machine,
  settings,
  summaries,
  targets,
  runs: Object.fromEntries(results),
};
await Deno.writeTextFile(`${out}.json`, JSON.stringify(report, null, 2) + "\n");
const notes = await Deno.readTextFile("bench/notes.md").catch(() => "");
await Deno.writeTextFile(
  `${out}.md`,
  renderMarkdown({
    startedAt,
    finishedAt,
    machine,
    settings,
    summaries,
    targets,
    notes,
    note: flags.note,
  }),
);
console.log(`wrote ${out}.md and ${out}.json`);
Deno.exit(0);
