/** Shared setup for loop tests against the real broker: a transport, a JSON test model, producing and reading. */
import { DeserializationError } from "../../src/errors.ts";
import type { LoopModel } from "../../src/loop/source.ts";
import { FailureRoutes } from "../../src/loop/failure_routing.ts";
import { LoopHealth } from "../../src/loop/health.ts";
import { Latch } from "../../src/loop/latch.ts";
import type { LoopParts } from "../../src/loop/message_processor.ts";
import type { ConsumerLoopOptions } from "../../src/loop/options.ts";
import { zeroStats } from "../../src/loop/stats.ts";
import { RegistryOutage } from "../../src/registry/outage.ts";
import type {
  IncomingMessage,
  RebalanceEvent,
  TopicPartition,
  Transport,
} from "../../src/transport/types.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap, uniqueName } from "../support.ts";

export const encode = (text: string) => new TextEncoder().encode(text);

/** The transport of this runtime: native on Node, ffi on Deno and Bun. */
export function loopTransport(): Promise<Transport> {
  return createTransport({ bootstrapServers: kafkaBootstrap() });
}

export interface Item {
  readonly id: number;
  readonly key: string;
}

/** A JSON model standing in for a FlowODM model: poison bytes throw DeserializationError. */
export function jsonModel(
  transport: Transport,
  topic: string,
  consumerGroup: string,
): LoopModel<Item> {
  return {
    settings: { topic, consumerGroup },
    connection: { transport: () => Promise.resolve(transport) },
    decode(bytes, origin) {
      try {
        const value = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));
        if (typeof value?.id !== "number") throw new Error("id is not a number");
        return Promise.resolve(value as Item);
      } catch (error) {
        return Promise.reject(new DeserializationError(String(error), { ...origin, cause: error }));
      }
    },
  };
}

/**
 * Creates a fresh topic and writes `count` items keyed across `keys` keys, `run` in a row per key,
 * each with `extra(id)`'s fields too.
 */
export async function seed(
  transport: Transport,
  prefix: string,
  count: number,
  keys = 10,
  partitions = 3,
  run = 1,
  extra: (id: number) => Record<string, unknown> = () => ({}),
) {
  const topic = uniqueName(prefix);
  const admin = await transport.admin();
  await admin.ensureTopic({ topic, partitions });
  await admin.close();
  const producer = await transport.producer();
  const batch = Array.from({ length: count }, (_, id) => ({
    topic,
    key: encode(`k${Math.floor(id / run) % keys}`),
    value: encode(JSON.stringify({ id, key: `k${Math.floor(id / run) % keys}`, ...extra(id) })),
    headers: [["origin", encode("seed")] as const],
  }));
  const results = await producer.send(batch);
  await producer.close();
  if (results.some((r) => !r.ok)) throw new Error("seeding failed");
  return { topic, group: uniqueName(`${prefix}-g`) };
}

/** Reads every message of `topic` from the beginning until `count` arrived. */
export async function readAll(
  transport: Transport,
  topic: string,
  count: number,
  timeoutMs = 30_000,
) {
  const consumer = await transport.consumer({ groupId: uniqueName("reader"), fromBeginning: true });
  await consumer.subscribe([topic]);
  const got: IncomingMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) got.push(...await consumer.poll(500, 300));
  await consumer.close();
  return got;
}

/** Resolves once `check()` holds, or rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const quiet = { info() {}, warn() {}, error() {} };

/** The parts a loop shares with its stage runner and message processor, for unit tests of those. */
export function loopParts<T>(
  options: ConsumerLoopOptions<T>,
): LoopParts<T, string> & { readonly fatalErrors: unknown[] } {
  const fatalErrors: unknown[] = [];
  const group = options.model.settings.consumerGroup ?? "g";
  return {
    options,
    routes: new FailureRoutes(group, options.model.settings.topic, options),
    stats: zeroStats(),
    health: new LoopHealth(),
    outage: new RegistryOutage(quiet),
    stopping: new Latch(),
    aborting: new Latch(),
    log: quiet,
    maxPollIntervalMs: 300_000,
    fatal: (error) => void fatalErrors.push(error),
    fatalErrors,
  };
}

/** What the consumers a loop created went through. */
export interface Watch {
  readonly rebalances: RebalanceEvent[];
  readonly paused: TopicPartition[];
}

/** The same transport, recording the rebalances and pauses of every consumer it creates. */
export function watched(transport: Transport): { transport: Transport; watch: Watch } {
  const watch: Watch = { rebalances: [], paused: [] };
  return {
    watch,
    transport: {
      name: transport.name,
      producer: (properties) => transport.producer(properties),
      admin: () => transport.admin(),
      close: () => transport.close(),
      consumer: async (options) => {
        const consumer = await transport.consumer(options);
        consumer.onRebalance((event) => watch.rebalances.push(event));
        const pause = consumer.pause.bind(consumer);
        consumer.pause = (partitions) => {
          watch.paused.push(...partitions);
          pause(partitions);
        };
        return consumer;
      },
    },
  };
}

/** Committed offsets of a group, summed over its partitions. */
export async function committedTotal(transport: Transport, group: string): Promise<number> {
  const admin = await transport.admin();
  try {
    return (await admin.groupOffsets(group)).reduce((sum, o) => sum + o.offset, 0);
  } finally {
    await admin.close();
  }
}
