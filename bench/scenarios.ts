/**
 * Every measured row of the benchmark: which scenario file runs on which
 * runtime with which client, what it reports, what it is compared with, and
 * which of issue #17's targets it answers.
 */
import { type ShapeName, shapeNames } from "./shapes.ts";

/** A runtime a scenario runs on. */
export type BenchRuntime = "node" | "deno" | "bun" | "python";

/** Which part of the issue a row answers. */
export type Section = "produce" | "consume" | "serde" | "runtimes" | "latency" | "memory";

/**
 * What a row is in its comparison group: this library, a peer library that
 * does the same work (Avro through a registry), the raw client with bytes, or
 * the raw client doing this library's own encoding or decoding (the bound a
 * FlowODM row can reach on that client; compared with raw, never a peer).
 */
export type Role = "flowodm" | "peer" | "raw" | "bound";

/** A target of issue #17 on one metric of a row, judged on the median of run-by-run figures. */
export type TargetSpec =
  | {
    /** Ratio to the best peer of the group, the group's raw row, or the row's `reference`. */
    readonly kind: "ratio";
    readonly against: "peer" | "raw" | "reference";
    readonly metric: string;
    readonly atLeast: number;
  }
  | {
    readonly kind: "below";
    readonly metric: string;
    readonly limit: number;
    readonly unit: string;
  }
  | {
    /** The row's figure at most the group's raw figure plus `plus`. */
    readonly kind: "within";
    readonly metric: string;
    readonly plus: number;
    readonly unit: string;
  };

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
  /** Fields of the scenario's JSON line to keep, with their unit; `ratios: false` shows no ratios. */
  readonly metrics: readonly {
    readonly key: string;
    readonly unit: string;
    readonly ratios?: boolean;
  }[];
  readonly role: Role;
  /** Rows of one group are compared with each other (peers, raw). */
  readonly group?: string;
  /** Another row this one is compared with (Node for the FFI rows, librdkafka's default for memory). */
  readonly reference?: string;
  /** Extra scenario arguments. */
  readonly args?: readonly string[];
  /** Flags for the runtime itself (before the scenario file), and environment variables. */
  readonly runtimeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly targets?: readonly TargetSpec[];
}

const throughput = [{ key: "msgsPerSec", unit: "msg/s" }];
const msgs = "msgsPerSec";

type RowOptions = Omit<Row, "id" | "metrics"> & { metrics?: Row["metrics"]; scenario?: string };

function row(options: RowOptions): Row {
  const { scenario, ...rest } = options;
  const name = scenario ?? options.file.replace(/\.(ts|py)$/, "").replace(
    "flowodm_py",
    options.section,
  );
  return { metrics: throughput, ...rest, id: `${name}/${options.client}/${options.runtime}` };
}

const produce = (client: string, runtime: BenchRuntime, label: string, role: Role) =>
  row({ section: "produce", file: "produce.ts", client, runtime, label, role, group: "produce" });
const consume = (client: string, runtime: BenchRuntime, label: string, role: Role) =>
  row({ section: "consume", file: "consume.ts", client, runtime, label, role, group: "consume" });

/** Produce: >= 1.2× the best registry peer, >= 0.8× the raw client with bytes (FlowODM rows). */
const produceTargets: TargetSpec[] = [
  { kind: "ratio", against: "peer", metric: msgs, atLeast: 1.2 },
  { kind: "ratio", against: "raw", metric: msgs, atLeast: 0.8 },
];
/** ConsumerLoop: >= 1.2× the best decoding peer, >= 0.9× the raw consumer. */
const loopTargets: TargetSpec[] = [
  { kind: "ratio", against: "peer", metric: msgs, atLeast: 1.2 },
  { kind: "ratio", against: "raw", metric: msgs, atLeast: 0.9 },
];
const sameAsNode: TargetSpec = { kind: "ratio", against: "reference", metric: msgs, atLeast: 1 };

const serdeClients: [string, string, Role][] = [
  ["flowodm", "FlowODM Model.encode / decode", "flowodm"],
  ["confluent-sr", "@confluentinc/schemaregistry", "peer"],
  ["kafkajs-sr", "@kafkajs/confluent-schema-registry", "peer"],
];
const shapeLabels: Record<ShapeName, string> = {
  order: "order (13 fields, 1 KiB)",
  wide: "wide (40 short strings)",
  nested: "nested (20 line records)",
};

/** Memory rows: the profile's prefetch bound, and librdkafka's own 64 MiB default for contrast. */
export const librdkafkaQueueKBytes = 65_536;

/** The rows, in table order. */
export const rows: readonly Row[] = [
  { ...produce("raw", "node", "@confluentinc/kafka-javascript, pre-encoded bytes", "raw") },
  produce("raw-encode", "node", "raw client + FlowODM Model.encode per record (bound)", "bound"),
  {
    ...produce("flowodm-many", "node", "FlowODM produceMany", "flowodm"),
    targets: produceTargets,
  },
  {
    ...produce("flowodm-send", "node", "FlowODM send + flush", "flowodm"),
    targets: produceTargets,
  },
  produce(
    "confluent-sr",
    "node",
    "@confluentinc/schemaregistry AvroSerializer + raw client",
    "peer",
  ),
  produce(
    "platformatic",
    "node",
    "@platformatic/kafka + @kafkajs/confluent-schema-registry",
    "peer",
  ),
  produce("kafkajs", "node", "kafkajs + @kafkajs/confluent-schema-registry", "peer"),
  row({
    section: "produce",
    file: "flowodm_py.py",
    client: "flowodm-python",
    runtime: "python",
    label: "Python FlowODM produce_many",
    role: "peer",
    group: "produce",
  }),
  consume("raw", "node", "@confluentinc/kafka-javascript, bytes", "raw"),
  consume("raw-decode", "node", "raw client + FlowODM Model.decode per record (bound)", "bound"),
  {
    ...consume("flowodm-loop", "node", "FlowODM ConsumerLoop, no-op handler", "flowodm"),
    targets: loopTargets,
  },
  consume("flowodm-iterator", "node", "FlowODM model async iterator", "flowodm"),
  consume(
    "confluent-sr",
    "node",
    "raw client + @confluentinc/schemaregistry AvroDeserializer",
    "peer",
  ),
  consume(
    "platformatic",
    "node",
    "@platformatic/kafka + @kafkajs/confluent-schema-registry",
    "peer",
  ),
  consume("kafkajs", "node", "kafkajs eachBatch + @kafkajs/confluent-schema-registry", "peer"),
  row({
    section: "consume",
    file: "flowodm_py.py",
    client: "flowodm-python",
    runtime: "python",
    label: "Python FlowODM consume_iter",
    role: "peer",
    group: "consume",
  }),
  ...(["deno", "bun"] as const).flatMap((runtime): Row[] => [
    {
      ...produce("flowodm-many", runtime, "FlowODM produceMany (ffi)", "flowodm"),
      section: "runtimes",
      reference: "produce/flowodm-many/node",
      targets: [...produceTargets.slice(0, 1), sameAsNode],
    },
    {
      ...produce("flowodm-send", runtime, "FlowODM send + flush (ffi)", "flowodm"),
      section: "runtimes",
      reference: "produce/flowodm-send/node",
      targets: [...produceTargets.slice(0, 1), sameAsNode],
    },
    // This runtime's own figures for the loop's work: the transport with bytes, then decoding.
    {
      ...consume("transport", runtime, "FlowODM transport (ffi), bytes (bound)", "bound"),
      section: "runtimes",
    },
    {
      ...consume(
        "transport-decode",
        runtime,
        "FlowODM transport (ffi) + Model.decode per record (bound)",
        "bound",
      ),
      section: "runtimes",
    },
    {
      ...consume("flowodm-loop", runtime, "FlowODM ConsumerLoop (ffi)", "flowodm"),
      section: "runtimes",
      reference: "consume/flowodm-loop/node",
      targets: [...loopTargets, sameAsNode],
    },
    {
      ...consume("flowodm-iterator", runtime, "FlowODM async iterator (ffi)", "flowodm"),
      section: "runtimes",
      reference: "consume/flowodm-iterator/node",
      targets: [sameAsNode],
    },
  ]),
  ...shapeNames.flatMap((shape) =>
    serdeClients.map(([client, label, role]) =>
      row({
        section: "serde",
        file: "serde.ts",
        scenario: `serde-${shape}`,
        client,
        runtime: "node",
        label: `${label}, ${shapeLabels[shape]}`,
        role,
        group: `serde-${shape}`,
        args: ["--shape", shape],
        metrics: [
          { key: "encodeOpsPerSec", unit: "encode ops/s" },
          { key: "decodeOpsPerSec", unit: "decode ops/s" },
        ],
        targets: role === "flowodm"
          ? ["encodeOpsPerSec", "decodeOpsPerSec"].map((metric) => ({
            kind: "ratio" as const,
            against: "peer" as const,
            metric,
            atLeast: 1.2,
          }))
          : undefined,
      })
    )
  ),
  row({
    section: "latency",
    file: "latency_raw.ts",
    client: "raw",
    runtime: "node",
    label: "raw client, bytes (the machine's floor)",
    role: "raw",
    group: "latency",
    metrics: [{ key: "p50Ms", unit: "p50 ms" }, { key: "p99Ms", unit: "p99 ms" }],
  }),
  ...(["node", "deno", "bun"] as const).map((runtime) =>
    row({
      section: "latency",
      file: "latency.ts",
      client: "flowodm-loop",
      runtime,
      label: "FlowODM send -> ConsumerLoop, RealTime",
      role: "flowodm",
      group: "latency",
      metrics: [{ key: "p50Ms", unit: "p50 ms" }, { key: "p99Ms", unit: "p99 ms" }],
      targets: [{ kind: "within", metric: "p99Ms", plus: 1, unit: "ms" }],
    })
  ),
  ...(["node", "deno", "bun"] as const).flatMap((runtime) => {
    const metrics = [
      { key: "growthPer1MMB", unit: "RSS growth MB per 1M" },
      { key: "steadyGrowthPer1MMB", unit: "growth after warm-up, MB per 1M" },
      { key: "rssPeakMB", unit: "peak RSS MB" },
      { key: "msgsPerSec", unit: "msg/s" },
    ];
    // Where the growth sits (bench/memory_map.ts), for the rows a target or its limit is read from.
    const parts = [
      ...metrics,
      { key: "mainHeapGrowthMB", unit: "of it, malloc main heap MB", ratios: false },
      { key: "threadArenasGrowthMB", unit: "of it, malloc thread arenas MB", ratios: false },
      { key: "otherAnonGrowthMB", unit: "of it, other anonymous MB", ratios: false },
    ];
    const unbounded = `memory-64mib/flowodm-loop/${runtime}`;
    const group = `memory-${runtime}`;
    // What librdkafka and the runtime grow by themselves with the loop's settings: the raw
    // client's figure on Node, this library's transport reading bytes on Deno and Bun.
    const rawClient = row({
      section: "memory",
      file: "memory.ts",
      client: runtime === "node" ? "raw" : "transport",
      runtime,
      label: runtime === "node"
        ? "@confluentinc/kafka-javascript, bytes, BatchSettings' librdkafka settings"
        : "FlowODM transport (ffi), bytes, BatchSettings' librdkafka settings",
      role: "raw",
      group,
      metrics: parts,
      args: ["--client", runtime === "node" ? "raw" : "transport"],
    });
    // The loop's own work (reading shared bytes, decoding and validating) without the loop.
    const transportKind = runtime === "node" ? "native" : "ffi";
    const decoding = row({
      section: "memory",
      file: "memory.ts",
      client: "transport-decode",
      runtime,
      label: `FlowODM transport (${transportKind}) + Model.decode per record`,
      role: "bound",
      group,
      metrics: parts,
      args: ["--client", "transport-decode"],
    });
    return [
      rawClient,
      decoding,
      row({
        section: "memory",
        file: "memory.ts",
        client: "flowodm-loop",
        runtime,
        label: "ConsumerLoop, BatchSettings (the profile's prefetch bound)",
        role: "flowodm",
        group,
        metrics: parts,
        reference: unbounded,
        targets: [{ kind: "below", metric: "growthPer1MMB", limit: 50, unit: "MB" }],
      }),
      row({
        section: "memory",
        file: "memory.ts",
        scenario: "memory-64mib",
        client: "flowodm-loop",
        runtime,
        label: "ConsumerLoop, BatchSettings with librdkafka's 64 MiB queue",
        role: "flowodm",
        group,
        metrics,
        args: ["--queue-kbytes", String(librdkafkaQueueKBytes)],
      }),
      ...(runtime === "deno" ? [denoTunedMemory(parts)] : []),
    ];
  }),
];

/**
 * Deno's loop with the runtime tuned, not the library: most of Deno's growth is V8's young
 * generation sized up under the loop's allocation rate, and malloc keeping freed memory in its
 * arenas. A library cannot set either for its users; this row shows what they set themselves.
 * An 8 MiB semi-space: at 2 MiB (session 10's choice) a poll batch outlived two scavenges, so
 * V8 promoted it and pooled ~45 MB of freed old-space pages (--trace-gc).
 */
function denoTunedMemory(metrics: Row["metrics"]): Row {
  return row({
    section: "memory",
    file: "memory.ts",
    scenario: "memory-tuned",
    client: "flowodm-loop",
    runtime: "deno",
    label: "ConsumerLoop, BatchSettings; Deno run with --v8-flags=--max-semi-space-size=8, " +
      "MALLOC_ARENA_MAX=2, MALLOC_TRIM_THRESHOLD_=1048576",
    role: "flowodm",
    group: "memory-deno",
    metrics,
    runtimeFlags: ["--v8-flags=--max-semi-space-size=8"],
    env: { MALLOC_ARENA_MAX: "2", MALLOC_TRIM_THRESHOLD_: "1048576" },
  });
}
