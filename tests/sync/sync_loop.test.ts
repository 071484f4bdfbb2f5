/**
 * SyncLoop on the real broker: a model's topic kept in a store (lookupKey,
 * exclude, transform, isDeletion, tombstones, per-key order with concurrency,
 * poison to the dead letter topic), and Debezium-shaped JSON records of two
 * tables routed by the routing transform's key field to two stores, a row
 * model refusing a bad row, a failing store retried.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { SyncLoop } from "../../src/sync/sync_loop.ts";
import { encode, quiet, readAll, until } from "../loop/loop_support.ts";

const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });
const text = new TextDecoder();

function connection() {
  return new Connection({ bootstrapServers: kafkaBootstrap(), schemaRegistryUrl: registryUrl() });
}

test(
  "a model's topic kept in a store: lookupKey, exclude, transform, isDeletion, tombstones, per-key order",
  { timeout: 120_000 },
  async () => {
    const conn = connection();
    const Account = defineModel(
      "Account",
      v.object({ id: v.string(), email: v.string(), secret: v.string(), closed: v.boolean() }),
      {
        topic: uniqueName("accounts"),
        consumerGroup: uniqueName("mirror"),
        keyField: "id",
        connection: conn,
      },
    );
    try {
      await Account.ensureTopic({ partitions: 3 });
      const writes = [];
      for (let round = 0; round < 5; round++) {
        for (const id of ["a", "b", "c", "d"]) {
          writes.push({
            id,
            email: `${id.toUpperCase()}${round}@X.ORG`,
            secret: "s",
            closed: false,
          });
        }
      }
      await Account.produceMany(writes);
      await Account.produce({ id: "c", email: "c@x.org", secret: "s", closed: true }); // isDeletion
      await Account.tombstone("d");
      const transport = await conn.transport();
      const producer = await transport.producer();
      await producer.send([{
        topic: Account.settings.topic,
        key: encode("e"),
        value: encode("poison"),
      }]);
      await producer.close();

      const rows = new Map<string, Record<string, unknown>>();
      const history = new Map<string, string[]>();
      const note = (id: string, what: string) =>
        history.set(id, [...(history.get(id) ?? []), what]);
      const loop = new SyncLoop<string>({
        model: Account,
        maxConcurrent: 4,
        lookupKey: (key) => `account:${key}`,
        exclude: ["secret"],
        transform: { email: (email) => String(email).toLowerCase() },
        isDeletion: (row) => row.closed === true,
        store: {
          upsert: async (key, row) => {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
            rows.set(key, row);
            note(key, String(row.email));
          },
          delete: (key, ctx) => {
            rows.delete(key);
            note(key, ctx.recordKey === null ? "?" : "deleted");
          },
        },
        settings,
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(
        () => loop.stats.processed === 22 && loop.stats.deadLettered === 1,
        60_000,
        "23 records",
      );
      loop.stop();
      await running;
      assert.deepEqual([...rows.keys()].sort(), ["account:a", "account:b"]);
      assert.deepEqual(rows.get("account:a"), { id: "a", email: "a4@x.org", closed: false });
      for (const id of ["a", "b"]) {
        assert.deepEqual(
          history.get(`account:${id}`),
          [0, 1, 2, 3, 4].map((r) => `${id}${r}@x.org`),
        );
      }
      assert.deepEqual(history.get("account:c")!.slice(-1), ["deleted"]);
      assert.deepEqual(history.get("account:d")!.slice(-1), ["deleted"]);
      assert.deepEqual(loop.syncStats, { upserts: 20, deletes: 2, skipped: 0 });
      const [dead] = await readAll(
        transport,
        `${Account.settings.consumerGroup}.${Account.settings.topic}.dlt`,
        1,
      );
      assert.equal(text.decode(dead.value!), "poison");
      assert.equal(headerText(dead.headers, FailureHeader.errorClass), "DeserializationError");
    } finally {
      await conn.close();
    }
  },
);

test(
  "Debezium JSON records of two tables routed to two stores; a bad row and an unknown table dead-lettered",
  { timeout: 120_000 },
  async () => {
    const conn = connection();
    const topic = uniqueName("dbz-all");
    const group = uniqueName("dbz-sync");
    try {
      const transport = await conn.transport();
      const admin = await transport.admin();
      await admin.ensureTopic({ topic, partitions: 1 });
      await admin.close();
      // As Debezium writes them with the JsonConverter (schemas.enable=true for keys),
      // ExtractNewRecordState (rewrite mode) and ByLogicalTableRouter.
      const key = (table: string, id: number) =>
        encode(JSON.stringify({
          schema: { type: "struct", fields: [] },
          payload: { id, __dbz__physicalTableIdentifier: `app.public.${table}` },
        }));
      const row = (fields: Record<string, unknown>) => encode(JSON.stringify(fields));
      const records = [
        [
          key("items", 1),
          row({ id: 1, name: "lamp", qty: 1, __op: "c", __table: "items", __deleted: "false" }),
        ],
        [
          key("tags", 9),
          row({ id: 9, label: "sale", __op: "c", __table: "tags", __deleted: "false" }),
        ],
        [
          key("items", 1),
          row({ id: 1, name: "lamp", qty: 2, __op: "u", __table: "items", __deleted: "false" }),
        ],
        [
          key("items", 2),
          row({ id: 2, name: "", qty: 1, __op: "c", __table: "items", __deleted: "false" }),
        ],
        [
          key("items", 1),
          row({ id: 1, name: "lamp", qty: 2, __op: "d", __table: "items", __deleted: "true" }),
        ],
        [key("items", 1), null],
        [key("orders", 5), row({ id: 5, __op: "c", __table: "orders", __deleted: "false" })],
        [
          key("tags", 9),
          row({ id: 9, label: "clearance", __op: "u", __table: "tags", __deleted: "false" }),
        ],
      ] as const;
      const producer = await transport.producer();
      await producer.send(records.map(([k, value]) => ({ topic, key: k, value })));
      await producer.close();

      const items: string[] = [];
      const tags = new Map<number, unknown>();
      let storeDown = true;
      const Item = v.object({
        id: v.number(),
        name: v.pipe(v.string(), v.minLength(1)),
        qty: v.number(),
      });
      const loop = new SyncLoop({
        topic,
        groupId: group,
        connection: conn,
        debezium: true,
        routes: {
          "app.public.items": {
            rowModel: { parse: (input) => v.parse(Item, input) },
            lookupKey: (k) => (k as { id: number }).id,
            store: {
              upsert: (id, r, ctx) => {
                if (storeDown) {
                  storeDown = false;
                  throw new Error("database briefly unavailable");
                }
                items.push(`${ctx.op} ${id} qty=${(r as { qty: number }).qty}`);
              },
              delete: (id, ctx) => void items.push(`delete ${id} (${ctx.op ?? "tombstone"})`),
            },
          },
          "app.public.tags": {
            lookupKey: (k) => (k as { id: number }).id,
            store: {
              upsert: (id, r) => void tags.set(id as number, r),
              delete: (id) => void tags.delete(id as number),
            },
          },
        },
        settings,
        maxRetries: 2,
        retryDelayMs: 50,
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      const running = loop.run();
      await until(
        () => loop.stats.processed === 6 && loop.stats.deadLettered === 2,
        60_000,
        "8 records",
      );
      loop.stop();
      await running;
      assert.deepEqual(items, ["c 1 qty=1", "u 1 qty=2", "delete 1 (d)", "delete 1 (tombstone)"]);
      assert.deepEqual([...tags], [[9, { id: 9, label: "clearance" }]]);
      assert.equal(loop.stats.retried, 1);
      const dead = await readAll(transport, `${group}.${topic}.dlt`, 2);
      assert.deepEqual(dead.map((m) => headerText(m.headers, FailureHeader.errorClass)).sort(), [
        "ConfigError",
        "ValidationError",
      ]);
      assert.match(
        headerText(
          dead.find((m) => /orders/.test(text.decode(m.key!)))!.headers,
          FailureHeader.errorMessage,
        )!,
        /no route for table app\.public\.orders/,
      );
    } finally {
      await conn.close();
    }
  },
);

test("suppressProducers: what the store produces while applying a record is not sent (no echo)", {
  timeout: 90_000,
}, async () => {
  const conn = connection();
  const Setting = defineModel(
    "Setting",
    v.object({ name: v.string(), value: v.string() }),
    {
      topic: uniqueName("settings"),
      consumerGroup: uniqueName("settings-sync"),
      keyField: "name",
      connection: conn,
    },
  );
  try {
    await Setting.ensureTopic({ partitions: 1 });
    await Setting.produce({ name: "theme", value: "dark" });
    const echoes: boolean[] = [];
    const loop = new SyncLoop<string>({
      model: Setting,
      suppressProducers: [Setting.settings.topic],
      store: {
        // A store that publishes what it writes, as the other side of a two-way sync would.
        upsert: async (_key, row) => {
          const report = await Setting.produce(row as { name: string; value: string });
          echoes.push(report.suppressed === true);
        },
        delete: () => {},
      },
      settings,
      handleSignals: false,
      logger: quiet,
    });
    const running = loop.run();
    await until(() => loop.stats.processed === 1, 30_000, "the record applied");
    loop.stop();
    await running;
    assert.deepEqual(echoes, [true]);
    const transport = await conn.transport();
    const all = await readAll(transport, Setting.settings.topic, 2, 5_000);
    assert.equal(all.length, 1, "the echo was not sent");
  } finally {
    await conn.close();
  }
});
