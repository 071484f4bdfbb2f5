/**
 * What every benchmark scenario shares: its arguments, the cluster address,
 * the client settings all librdkafka clients get, fresh topics, and the one
 * JSON line a scenario prints for the runner.
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { connect, type Connection, createTransport } from "../mod.ts";

/** The JavaScript runtime executing the scenario. */
export const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";

/** Kafka and registry addresses (the local stack unless the environment names others). */
export const bootstrapServers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
export const registryUrl = process.env.SCHEMA_REGISTRY_URL ??
  "http://127.0.0.1:8081/apis/ccompat/v7";

/** Partitions of every benchmark topic. */
export const partitions = 3;

/**
 * Producer settings of every librdkafka-based client (ours, the raw client,
 * the Python FlowODM): acks=all, idempotent, librdkafka's default linger and
 * batch size spelled out, no compression.
 */
export const producerProperties = {
  "acks": "all",
  "enable.idempotence": true,
  "linger.ms": 5,
  "batch.num.messages": 10_000,
  "queue.buffering.max.messages": 1_000_000,
  "compression.type": "none",
} as const;

/** Consumer settings of every librdkafka-based consumer (BatchSettings' fetch settings). */
export const consumerProperties = {
  "fetch.min.bytes": 1_048_576,
  "fetch.wait.max.ms": 500,
  "max.partition.fetch.bytes": 4_194_304,
  "fetch.queue.backoff.ms": 10,
} as const;

/** The scenario's command-line options. */
export const args = parseArgs({
  args: process.argv.slice(2),
  options: {
    client: { type: "string", default: "" },
    messages: { type: "string", default: "200000" },
    topic: { type: "string", default: "" },
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "10" },
    shape: { type: "string", default: "order" },
    "queue-kbytes": { type: "string", default: "" },
  },
  strict: false,
}).values as {
  client: string;
  messages: string;
  topic: string;
  rate: string;
  seconds: string;
  shape: string;
  "queue-kbytes": string;
};

/** How many messages the scenario moves. */
export const messageCount = Number(args.messages);

/** A topic name nobody else uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a new topic with the benchmark's partition count. */
export async function freshTopic(prefix: string): Promise<string> {
  const topic = uniqueName(prefix);
  const transport = await createTransport({ bootstrapServers });
  const admin = await transport.admin();
  try {
    await admin.ensureTopic({ topic, partitions });
  } finally {
    await admin.close();
    await transport.close();
  }
  return topic;
}

/** Deletes a benchmark topic (the disk is shared). */
export async function dropTopic(topic: string): Promise<void> {
  const transport = await createTransport({ bootstrapServers });
  const admin = await transport.admin();
  try {
    await admin.deleteTopic(topic);
  } finally {
    await admin.close();
    await transport.close();
  }
}

/** A FlowODM connection to the stack with the shared producer settings. */
export function benchConnection(extra: Record<string, string | number | boolean> = {}): Connection {
  return connect({
    bootstrapServers,
    schemaRegistryUrl: registryUrl,
    kafka: { ...producerProperties, ...extra },
  });
}

/** Prints the scenario's result as the one JSON line the runner reads, then exits. */
export function report(result: Record<string, unknown>): never {
  console.log(JSON.stringify({ runtime, ...result }));
  process.exit(0);
}

/** Messages per second. */
export function rate(count: number, startMs: number, endMs: number): number {
  return count / ((endMs - startMs) / 1000);
}

/** Resident set size in bytes, on every runtime. */
export function rss(): number {
  return process.memoryUsage().rss;
}

/** @platformatic/kafka needs Node 22's Promise.withResolvers; Node 20 gets the same few lines. */
export function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve, reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
