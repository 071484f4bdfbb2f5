/** The benchmark's results as an aligned text table, the targets, and Markdown. */
import type { Machine } from "./machine.ts";
import type { Row } from "./scenarios.ts";
import type { Spread } from "./stats.ts";
import { type TargetResult, verdict } from "./compare.ts";

/** A row's figures over its runs. */
export interface Summary {
  readonly row: Row;
  readonly metrics: readonly {
    readonly key: string;
    readonly unit: string;
    readonly spread?: Spread;
    /** Run-by-run ratios to the best peer, the raw client and the reference row. */
    readonly peer?: Spread;
    readonly raw?: Spread;
    readonly reference?: Spread;
    /** This metric's targets: "met" or "not met" and what they asked. */
    readonly targets: readonly TargetResult[];
  }[];
  readonly errors: readonly string[];
}

/** One target of the issue, evaluated on the medians. */
export type Target = TargetResult;

function number(x: number): string {
  if (x >= 1000) return Math.round(x).toLocaleString("en-US");
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function figure(s?: Spread): string {
  return s ? `${number(s.median)} (${number(s.min)}–${number(s.max)})` : "failed";
}

function ratio(s?: Spread): string {
  return s ? `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : "";
}

const sectionTitles: Record<Row["section"], string> = {
  produce: "1. Produce throughput (Node)",
  consume: "2. Consume throughput (Node)",
  serde: "3. Serde, no broker (Node), by record shape",
  runtimes: "4. Runtimes (this library on Deno and Bun via FFI; the reference is Node native)",
  latency: "5. Latency produce -> handler at 1 000 msg/s, RealTime profile",
  memory: "6. Memory and throughput of a ConsumerLoop by prefetch bound (reference: 64 MiB)",
};

function targetCell(targets: readonly TargetResult[]): string {
  return targets.map((t) => `${t.name}: ${verdict(t.met)}`).join("; ");
}

function lines(summaries: readonly Summary[]) {
  return summaries.flatMap((s) =>
    s.metrics.map((m) => ({
      section: s.row.section,
      cells: [
        s.row.label,
        s.row.runtime,
        m.unit,
        // A run without this figure (an older report) is not a failure.
        m.spread || s.errors.length ? figure(m.spread) : "not measured",
        ratio(m.peer),
        ratio(m.raw),
        ratio(m.reference),
        [targetCell(m.targets), s.errors.length ? `${s.errors.length} failed run(s)` : ""]
          .filter(Boolean).join("; "),
      ],
    }))
  );
}

const header = [
  "client",
  "runtime",
  "unit",
  "median (min–max)",
  "× best peer",
  "× raw",
  "× reference",
  "targets",
];

/** The results as an aligned text table, by section. */
export function renderTable(summaries: readonly Summary[]): string {
  const all = lines(summaries);
  const widths = header.map((h, i) => Math.max(h.length, ...all.map((l) => l.cells[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const out: string[] = [];
  for (const section of Object.keys(sectionTitles) as Row["section"][]) {
    const mine = all.filter((l) => l.section === section);
    if (mine.length === 0) continue;
    out.push("", sectionTitles[section], format(header));
    for (const line of mine) out.push(format(line.cells));
  }
  return out.join("\n");
}

function markdownTable(header: string[], body: string[][]): string {
  const escape = (c: string) => c.replaceAll("|", "\\|");
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((cells) => `| ${cells.map(escape).join(" | ")} |`),
  ].join("\n");
}

/** docs/benchmarks.md. */
export function renderMarkdown(report: {
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  settings: Record<string, unknown>;
  summaries: readonly Summary[];
  targets: readonly Target[];
  notes: string;
  note?: string;
}): string {
  const { machine, settings } = report;
  const out: string[] = [
    "# Benchmarks",
    "",
    "Written by `deno task bench` (bench/run.ts); the raw figures of every run are in",
    "[benchmarks.json](benchmarks.json). Each figure is the median of the runs with min and max;",
    "ratios are taken run by run, then summarised the same way.",
    "",
  ];
  if (report.note) out.push(`> ${report.note}`, "");
  out.push(
    "## Machine",
    "",
    markdownTable(["", ""], [
      ["CPU", `${machine.cpu}, ${machine.cores} cores`],
      ["RAM", `${machine.ramGiB} GiB`],
      ["OS", machine.os],
      ["Load average (1, 5, 15 min)", machine.loadAverage],
      ["Node", machine.node],
      ["Deno", machine.deno],
      ["Bun", machine.bun],
      ["Python", `${machine.python}, flowodm ${machine.pythonFlowodm}`],
      ["librdkafka", machine.librdkafka],
      ["Kafka", "Apache Kafka 4.1, one KRaft node on the same machine (local stack)"],
      ["Run", `${report.startedAt.toISOString()} to ${report.finishedAt.toISOString()}`],
    ]),
    "",
    "## Settings",
    "",
    `- Record: ${settings.recordBytes} bytes of Avro (13 fields: strings, ints, doubles, a`,
    "  timestamp-millis, an optional, an array, a nested record), keyed by its id; 1 000 distinct",
    "  records cycled. Topics have " + settings.partitions +
      " partitions; a fresh topic per produce run.",
    `- ${settings.messages} messages per throughput run, ${settings.runs} runs, ${settings.memoryMessages}`,
    `  messages for memory, ${settings.serdeOps} operations per serde direction,`,
    `  ${settings.latencySeconds} s at 1 000 msg/s for latency.`,
    "- Every librdkafka producer (this library, the raw client, the Python FlowODM):",
    "  `" + JSON.stringify(settings.producerProperties) + "`. kafkajs and @platformatic/kafka:",
    "  idempotent, acks=-1, batches of 1 000 messages sent one after another (@platformatic/kafka",
    "  needs Node 22's `Promise.withResolvers`; on Node 20 it gets an equivalent ten-line polyfill).",
    "  FlowODM's produceMany gets batches of 10 000 values, up to 4 in flight; send() is called once",
    "  per value, then flush().",
    "- Every librdkafka consumer: `" + JSON.stringify(settings.consumerProperties) + "`; the",
    "  ConsumerLoop uses BatchSettings (commit every 1 000 messages or 5 s); the async iterator",
    "  commits every 1 000 messages; the raw consumer auto-commits. Consumers are timed from their",
    "  first message to their last, so group joins are left out for all. The consuming peers:",
    "  @platformatic/kafka's consumer stream and kafkajs's `eachBatch`, each decoding every value",
    "  with @kafkajs/confluent-schema-registry, with the same fetch settings in their own terms.",
    '- Ratios: "× best peer" divides by the fastest peer of the same group in the same run (the',
    "  produce peers produce Avro through the registry; the consume peers decode it; the serde peers",
    '  are the two registry libraries), "× raw" by @confluentinc/kafka-javascript with bytes,',
    '  "× reference" by Node (Deno and Bun rows) or by librdkafka\'s 64 MiB queue (memory rows).',
    '- Rows marked "(bound)" are the raw client doing this library\'s own encoding or decoding',
    "  (`Model.encode` or `Model.decode` awaited per record): the most any FlowODM row on that",
    "  client could reach, and so the raw client's own figure for the same work. On Deno and Bun",
    "  the bound rows are this library's FFI transport, polled as the loop polls (BatchSettings),",
    "  with bytes and with `Model.decode` per record: that runtime's own figure for the same work.",
    "- Memory: a ConsumerLoop with BatchSettings over `memoryMessages` records; RSS growth from",
    "  the first message to the last, per 1M messages, and the loop's msg/s over the same span.",
    "  Each runtime's raw row reads the same records with the loop's librdkafka settings (the",
    "  profile's prefetch bound included): the raw client on Node, this library's transport on",
    '  Deno and Bun; what librdkafka and the runtime grow by themselves. The "of it" rows split',
    "  the growth by where it sits in /proc/self/smaps: malloc's main heap (on Node and Deno the",
    "  buffers records are copied into), malloc's arenas of other threads (librdkafka's, with its",
    "  prefetched messages), and other anonymous memory (the JS engine's heap).",
    "",
    "## Results",
    "",
  );
  const all = lines(report.summaries);
  for (const section of Object.keys(sectionTitles) as Row["section"][]) {
    const mine = all.filter((l) => l.section === section);
    if (mine.length === 0) continue;
    out.push(
      `### ${sectionTitles[section]}`,
      "",
      markdownTable(header, mine.map((l) => l.cells)),
      "",
    );
  }
  out.push(
    "## Targets",
    "",
    markdownTable(
      ["target", "result", "figure"],
      report.targets.map((t) => [t.name, verdict(t.met), t.shown]),
    ),
    "",
  );
  if (report.notes) out.push(report.notes.trim(), "");
  return out.join("\n");
}
