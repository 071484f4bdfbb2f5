/**
 * Every measured row of the benchmark: which scenario file runs on which
 * runtime with which client, what it reports, and what it is compared with.
 */

/** A runtime a scenario runs on. */
export type BenchRuntime = "node" | "deno" | "bun" | "python";

/** Which part of the issue a row answers. */
export type Section = "produce" | "consume" | "serde" | "runtimes" | "latency" | "memory";

/** One row of the results table. */
export interface Row {
  /** Unique id, `<scenario>/<client>/<runtime>`. */
  readonly id: string;
  readonly section: Section;
  /** The scenario file under bench/. */
  readonly file: string;
  readonly runtime: BenchRuntime;
  readonly client: string;
  /** What the table calls it. */
  readonly label: string;
  /** Fields of the scenario's JSON line to keep, with their unit. */
  readonly metrics: readonly { readonly key: string; readonly unit: string }[];
  /** Row id whose same-run figure divides this row's (run by run). */
  readonly baseline?: string;
}

const throughput = [{ key: "msgsPerSec", unit: "msg/s" }];

function row(
  section: Section,
  file: string,
  client: string,
  runtime: BenchRuntime,
  label: string,
  metrics: Row["metrics"],
  baseline?: string,
): Row {
  const scenario = file.replace(/\.(ts|py)$/, "").replace("flowodm_py", section);
  return {
    id: `${scenario}/${client}/${runtime}`,
    section,
    file,
    runtime,
    client,
    label,
    metrics,
    baseline,
  };
}

const rawProduce = "produce/raw/node";
const rawConsume = "consume/raw/node";

/** The rows, in table order. */
export const rows: readonly Row[] = [
  row(
    "produce",
    "produce.ts",
    "raw",
    "node",
    "@confluentinc/kafka-javascript, pre-encoded bytes",
    throughput,
    rawProduce,
  ),
  row(
    "produce",
    "produce.ts",
    "flowodm-many",
    "node",
    "FlowODM produceMany",
    throughput,
    rawProduce,
  ),
  row(
    "produce",
    "produce.ts",
    "flowodm-send",
    "node",
    "FlowODM send + flush",
    throughput,
    rawProduce,
  ),
  row(
    "produce",
    "produce.ts",
    "confluent-sr",
    "node",
    "@confluentinc/schemaregistry AvroSerializer + raw client",
    throughput,
    rawProduce,
  ),
  row(
    "produce",
    "produce.ts",
    "platformatic",
    "node",
    "@platformatic/kafka + @kafkajs/confluent-schema-registry",
    throughput,
    rawProduce,
  ),
  row(
    "produce",
    "produce.ts",
    "kafkajs",
    "node",
    "kafkajs + @kafkajs/confluent-schema-registry",
    throughput,
    rawProduce,
  ),
  row(
    "produce",
    "flowodm_py.py",
    "flowodm-python",
    "python",
    "Python FlowODM produce_many",
    throughput,
    rawProduce,
  ),
  row(
    "consume",
    "consume.ts",
    "raw",
    "node",
    "@confluentinc/kafka-javascript, bytes",
    throughput,
    rawConsume,
  ),
  row(
    "consume",
    "consume.ts",
    "flowodm-loop",
    "node",
    "FlowODM ConsumerLoop, no-op handler",
    throughput,
    rawConsume,
  ),
  row(
    "consume",
    "consume.ts",
    "flowodm-iterator",
    "node",
    "FlowODM model async iterator",
    throughput,
    rawConsume,
  ),
  row(
    "consume",
    "consume.ts",
    "confluent-sr",
    "node",
    "raw client + @confluentinc/schemaregistry AvroDeserializer",
    throughput,
    rawConsume,
  ),
  row(
    "consume",
    "flowodm_py.py",
    "flowodm-python",
    "python",
    "Python FlowODM consume_iter",
    throughput,
    rawConsume,
  ),
  ...(["deno", "bun"] as const).flatMap((runtime) => [
    row(
      "runtimes",
      "produce.ts",
      "flowodm-many",
      runtime,
      "FlowODM produceMany (ffi)",
      throughput,
      "produce/flowodm-many/node",
    ),
    row(
      "runtimes",
      "produce.ts",
      "flowodm-send",
      runtime,
      "FlowODM send + flush (ffi)",
      throughput,
      "produce/flowodm-send/node",
    ),
    row(
      "runtimes",
      "consume.ts",
      "flowodm-loop",
      runtime,
      "FlowODM ConsumerLoop (ffi)",
      throughput,
      "consume/flowodm-loop/node",
    ),
    row(
      "runtimes",
      "consume.ts",
      "flowodm-iterator",
      runtime,
      "FlowODM async iterator (ffi)",
      throughput,
      "consume/flowodm-iterator/node",
    ),
  ]),
  ...[["flowodm", "FlowODM Model.encode / decode"], [
    "confluent-sr",
    "@confluentinc/schemaregistry",
  ], [
    "kafkajs-sr",
    "@kafkajs/confluent-schema-registry",
  ]].map(([client, label]) =>
    row("serde", "serde.ts", client, "node", label, [
      { key: "encodeOpsPerSec", unit: "encode ops/s" },
      { key: "decodeOpsPerSec", unit: "decode ops/s" },
    ], "serde/confluent-sr/node")
  ),
  row("latency", "latency_raw.ts", "raw", "node", "raw client, bytes (the machine's floor)", [
    { key: "p50Ms", unit: "p50 ms" },
    { key: "p99Ms", unit: "p99 ms" },
  ]),
  ...(["node", "deno", "bun"] as const).map((runtime) =>
    row(
      "latency",
      "latency.ts",
      "flowodm-loop",
      runtime,
      "FlowODM send -> ConsumerLoop, RealTime",
      [
        { key: "p50Ms", unit: "p50 ms" },
        { key: "p99Ms", unit: "p99 ms" },
      ],
    )
  ),
  ...(["node", "deno", "bun"] as const).map((runtime) =>
    row("memory", "memory.ts", "flowodm-loop", runtime, "FlowODM ConsumerLoop", [
      { key: "rssBeforeMB", unit: "RSS before MB" },
      { key: "rssAfterMB", unit: "RSS after MB" },
      { key: "growthPer1MMB", unit: "growth MB per 1M" },
      { key: "steadyGrowthPer1MMB", unit: "growth after warm-up, MB per 1M" },
    ])
  ),
];
