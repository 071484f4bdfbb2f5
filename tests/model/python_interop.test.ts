/**
 * Interop with the Python FlowODM (PyPI `flowodm` 0.3.1, run by tests/model/python_peer.py)
 * on the real broker and registry: each side consumes what the other produced, whichever
 * registered its schema first, and keys land on the partitions both sides agree on.
 *
 * What the Python FlowODM 0.3.1 does differently (read in its model.py, checked here):
 * - Its generated schema's namespace is the Python module (`__main__` for a script) and
 *   cannot be set, so our model carries the alias `__main__.InteropOrder` to resolve it.
 * - Optional fields get no `"default": null`; str Enums become `"string"`, not Avro enums.
 * - It reads every message with the subject's latest schema, ignoring the writer's schema id,
 *   so a value written with an older, different schema is misread or (in consume_batch)
 *   skipped without an error.
 * - Its producer keeps librdkafka's default partitioner, `consistent_random` (CRC32), not
 *   `murmur2_random` as ours and Java's: the same key can land on another partition unless
 *   one side changes its partitioner (both ways are shown below).
 * - It writes a datetime as `int(timestamp() * 1000)`: a float product truncated, which
 *   loses a millisecond for some instants (e.g. 2039-09-04T06:27:15.936Z). Reads are exact.
 * - (Not exercised: its other optionals, `Optional[int]`, `Optional[float]`..., map to
 *   `["null","string"]`, so their values fail to serialize there; defaulted fields become
 *   nullable without a default. Keep them out of shared models.)
 * - Ours: `v.optional(v.string())` without a default cannot be used here: it encodes a missing
 *   value as null and then refuses the null it decodes, so the model uses `v.nullish`.
 */
import type { ConsumedKey } from "../../src/model/consumed_message.ts";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel, type Model } from "../../src/model/define_model.ts";
import { keyPartition } from "../../src/transport/murmur2.ts";

const python = fileURLToPath(new URL("../../.flowodm/python/bin/python", import.meta.url));
const peerScript = fileURLToPath(new URL("./python_peer.py", import.meta.url));

const InteropOrder = v.pipe(
  v.object({
    order_id: v.string(),
    quantity: v.pipe(v.number(), v.integer()),
    amount: v.number(),
    paid: v.boolean(),
    // A Python str Enum travels as an Avro string.
    status: v.pipe(
      v.picklist(["NEW", "PAID", "SHIPPED"]),
      v.metadata({ avro: { type: "string" } }),
    ),
    note: v.nullish(v.string()),
    placed_at: v.date(),
  }),
  v.metadata({ avro: { aliases: ["__main__.InteropOrder"] } }),
);
type Order = v.InferOutput<typeof InteropOrder>;

/** What python_peer.py reads and prints: the same order, timestamps as epoch milliseconds. */
interface PeerOrder {
  order_id: string;
  quantity: number;
  amount: number;
  paid: boolean;
  status: string;
  note: string | null;
  placed_at_ms: number;
  placed_at_tz?: string;
}

const runtimes = ["deno", "node", "bun"] as const;

function toPeer(order: Order): PeerOrder {
  const { placed_at, ...rest } = order;
  return { ...rest, note: order.note ?? null, placed_at_ms: placed_at.getTime() };
}

function fromPeer(order: PeerOrder): Order {
  const { placed_at_ms, placed_at_tz: _, ...rest } = order;
  return { ...rest, status: rest.status as Order["status"], placed_at: new Date(placed_at_ms) };
}

function orders(prefix: string, count: number): Order[] {
  return Array.from({ length: count }, (_, i) => ({
    order_id: `${prefix}-${i + 1}`,
    quantity: 2 ** 40 + i, // beyond int32: both sides use Avro long
    amount: 19.99 * (i + 1) + 0.1,
    paid: i % 2 === 0,
    status: (["NEW", "PAID", "SHIPPED"] as const)[i % 3],
    note: i % 2 === 0 ? null : `gift ${"é✓".repeat(i)}`,
    placed_at: new Date(Date.UTC(2026, 10, 23, 9, 30, 0, 123 + i)),
  }));
}

function byId<T extends { order_id: string }>(values: T[]): T[] {
  return [...values].sort((a, b) => a.order_id.localeCompare(b.order_id));
}

/** Runs python_peer.py; resolves its stdout parsed as JSON. */
function peer(args: string[], env: Record<string, string>, input?: unknown): Promise<unknown> {
  if (!existsSync(python)) {
    throw new Error(
      `the Python FlowODM is not installed (${python} is missing): run \`deno task setup\``,
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(python, [peerScript, ...args], {
      env: {
        PATH: "/usr/bin:/bin",
        KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(),
        SCHEMA_REGISTRY_URL: registryUrl(),
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => stdout += chunk);
    child.stderr.on("data", (chunk) => stderr += chunk);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`python_peer.py ${args.join(" ")} exited ${code}: ${stderr}`));
      } else resolve(JSON.parse(stdout));
    });
    child.stdin.end(input === undefined ? "" : JSON.stringify(input));
  });
}

async function setup(partitions: number) {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const topic = uniqueName("python-interop");
  const Order = defineModel("InteropOrder", InteropOrder, {
    topic,
    keyField: "order_id",
    namespace: "com.example.interop",
    connection,
  });
  await Order.ensureTopic({ partitions });
  return { Order, connection, topic };
}

// Any key type: a model defined from another's settings (`{ ...Order.settings }`) keys by keyField
// at run time but cannot say so in its type.
async function consumeHere<V extends Order, K>(Order: Model<V, K>, count: number) {
  const received: { value: V; key: ConsumedKey<K>; partition: number }[] = [];
  if (count === 0) return received;
  for await (const message of Order.consume({ groupId: uniqueName("ts"), fromBeginning: true })) {
    assert.ok(!message.tombstone);
    received.push({ value: message.value, key: message.key, partition: message.partition });
    if (received.length === count) break;
  }
  return received;
}

if (runsOn(runtimes)) {
  test(
    "Python registers first: we read its values, it reads ours (written with our schema version)",
    { timeout: 120_000 },
    async () => {
      const { Order, connection, topic } = await setup(3);
      try {
        const fromPython = orders("py", 4);
        const produced = await peer(["produce"], { PEER_TOPIC: topic }, fromPython.map(toPeer));
        const registry = connection.registry();
        const first = await registry.version(Order.subject, 1);
        assert.deepEqual(produced, { produced: 4, schema_id: first.id });
        const pythonSchema = JSON.parse(first.schema);
        assert.deepEqual(pythonSchema, {
          type: "record",
          name: "InteropOrder",
          namespace: "__main__",
          fields: [
            { name: "order_id", type: "string" },
            { name: "quantity", type: "long" },
            { name: "amount", type: "double" },
            { name: "paid", type: "boolean" },
            { name: "status", type: "string" },
            { name: "note", type: ["null", "string"] },
            { name: "placed_at", type: { type: "long", logicalType: "timestamp-millis" } },
          ],
        });
        assert.deepEqual(pythonSchema, await peer(["schema"], { PEER_TOPIC: topic }));

        const read = await consumeHere(Order, 4);
        assert.deepEqual(byId(read.map((m) => m.value)), fromPython);
        for (const message of read) assert.equal(message.key, message.value.order_id);

        const fromHere = orders("ts", 4);
        fromHere[3].placed_at = new Date(2198754435936); // Python would write it 1 ms early; we do not
        await Order.produceMany(fromHere);
        assert.deepEqual(await registry.versions(Order.subject), [1, 2]);
        assert.equal((await registry.version(Order.subject, 2)).id, await Order.registerSchema());

        const readByPython = await peer(["consume", "8"], {
          PEER_TOPIC: topic,
          PEER_GROUP: uniqueName("py"),
        }) as PeerOrder[];
        assert.equal(readByPython.length, 8);
        for (const order of readByPython) assert.equal(order.placed_at_tz, "UTC");
        assert.deepEqual(byId(readByPython.map(fromPeer)), [...fromPython, ...fromHere]);
      } finally {
        await connection.close();
      }
    },
  );
}

if (runsOn(runtimes)) {
  test(
    "we register first: Python writes with our schema id, reads ours, we read its (timestamps as written)",
    { timeout: 120_000 },
    async () => {
      const { Order, connection, topic } = await setup(2);
      try {
        const fromHere = orders("ts", 3);
        await Order.produceMany(fromHere);
        const ourId = await Order.registerSchema();

        const readByPython = await peer(["consume", "3"], {
          PEER_TOPIC: topic,
          PEER_GROUP: uniqueName("py"),
        }) as PeerOrder[];
        assert.deepEqual(byId(readByPython.map(fromPeer)), fromHere);

        const fromPython = orders("py", 3);
        fromPython[2].placed_at = new Date(2198754435936);
        const produced = await peer(["produce"], { PEER_TOPIC: topic }, fromPython.map(toPeer));
        assert.deepEqual(produced, { produced: 3, schema_id: ourId });
        assert.deepEqual(await connection.registry().versions(Order.subject), [1]);

        const read = byId((await consumeHere(Order, 6)).map((m) => m.value));
        // The Python FlowODM's int(timestamp() * 1000) truncates 2198754435.936 * 1000 = ...935.9998.
        const asPythonWroteIt = fromPython.map((order, i) =>
          i === 2 ? { ...order, placed_at: new Date(2198754435935) } : order
        );
        assert.deepEqual(read, [...asPythonWroteIt, ...fromHere]);
      } finally {
        await connection.close();
      }
    },
  );
}

// librdkafka's consistent_random: CRC-32 (zlib's) of the key, modulo the partition count.
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

if (runsOn(runtimes)) {
  test("a key lands on the same partition from both sides once they share a partitioner", {
    timeout: 120_000,
  }, async () => {
    const partitions = 6;
    const { Order, connection, topic } = await setup(partitions);
    const consistent = new Connection({
      bootstrapServers: kafkaBootstrap(),
      schemaRegistryUrl: registryUrl(),
      kafka: { partitioner: "consistent_random" },
    });
    try {
      const keyed = (note: string) => orders("k", 16).map((order) => ({ ...order, note }));
      await Order.produceMany(keyed("ts-murmur2"));
      await Order.withConnection(consistent).produceMany(keyed("ts-consistent"));
      await peer(
        ["produce"],
        { PEER_TOPIC: topic, PEER_PARTITIONER: "murmur2_random" },
        keyed("py-murmur2").map(toPeer),
      );
      await peer(["produce"], { PEER_TOPIC: topic }, keyed("py-default").map(toPeer));

      const partitionsBy = new Map<string, Map<string, number>>();
      for (const { value, key, partition } of await consumeHere(Order, 64)) {
        const byKey = partitionsBy.get(value.note!) ?? new Map<string, number>();
        byKey.set(key!, partition);
        partitionsBy.set(value.note!, byKey);
      }
      const encoder = new TextEncoder();
      const keys = orders("k", 16).map((order) => order.order_id);
      const murmur2 = new Map(keys.map((k) => [k, keyPartition(encoder.encode(k), partitions)]));
      const crc = new Map(keys.map((k) => [k, crc32(encoder.encode(k)) % partitions]));
      assert.notDeepEqual(murmur2, crc, "the keys must tell the two partitioners apart");
      assert.deepEqual(partitionsBy.get("ts-murmur2"), murmur2);
      assert.deepEqual(partitionsBy.get("py-murmur2"), murmur2);
      // The Python FlowODM's own producer: librdkafka's default, consistent_random.
      assert.deepEqual(partitionsBy.get("py-default"), crc);
      assert.deepEqual(partitionsBy.get("ts-consistent"), crc);
    } finally {
      await consistent.close();
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test(
    "after an added field, the Python FlowODM silently reads nothing, old or new; we read both",
    { timeout: 120_000 },
    async () => {
      const { Order, connection, topic } = await setup(1);
      try {
        const OrderWithCoupon = defineModel(
          "InteropOrder",
          v.pipe(
            v.object({ ...InteropOrder.entries, coupon: v.nullish(v.string()) }),
            v.metadata({ avro: { aliases: ["__main__.InteropOrder"] } }),
          ),
          { ...Order.settings },
        );
        const before = orders("v1", 2);
        const after = orders("v2", 2).map((order) => ({ ...order, coupon: "WELCOME" }));
        await Order.produceMany(before);
        await OrderWithCoupon.produceMany(after);
        assert.deepEqual(await connection.registry().versions(Order.subject), [1, 2]);

        // It decodes v1 bytes with the latest schema (v2): they end early. The v2 values decode,
        // but its model forbids the extra field. consume_batch drops both without an error.
        const readByPython = await peer(["consume", "4"], {
          PEER_TOPIC: topic,
          PEER_GROUP: uniqueName("py"),
          PEER_TIMEOUT: "3",
        });
        assert.deepEqual(readByPython, []);

        const readOld = (await consumeHere(Order, 4)).map((m) => m.value);
        assert.deepEqual(readOld, [...before, ...orders("v2", 2)]);
        const readNew = (await consumeHere(OrderWithCoupon, 4)).map((m) => m.value);
        assert.deepEqual(readNew, [
          ...before.map((order) => ({ ...order, coupon: null })),
          ...after,
        ]);
      } finally {
        await connection.close();
      }
    },
  );
}
