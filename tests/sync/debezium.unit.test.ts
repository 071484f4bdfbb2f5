/** How Debezium's records (full envelopes, flattened rows, tombstones, routed keys) become store operations. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  debeziumChange,
  debeziumKey,
  isEnvelope,
  tableCandidates,
} from "../../src/sync/debezium.ts";

const source = { connector: "postgresql", schema: "public", table: "items", lsn: 1 };

test("full envelopes: c, r and u upsert the after image, d deletes, t truncates, m is skipped", () => {
  const row = { id: 1, name: "lamp" };
  assert.deepEqual(debeziumChange({ op: "c", before: null, after: row, source }), {
    kind: "upsert",
    row,
    op: "c",
    schema: "public",
    table: "items",
  });
  assert.equal(debeziumChange({ op: "r", before: null, after: row, source }).kind, "upsert");
  assert.equal(debeziumChange({ op: "u", before: row, after: row, source }).kind, "upsert");
  const deletion = debeziumChange({ op: "d", before: row, after: null, source });
  assert.equal(deletion.kind, "delete");
  assert.deepEqual(deletion.row, row);
  assert.equal(debeziumChange({ op: "t", before: null, after: null, source }).kind, "truncate");
  assert.equal(debeziumChange({ op: "m", source, message: {} }).kind, "skip");
  assert.equal(isEnvelope({ op: "c", after: row, source }), true);
  assert.equal(isEnvelope({ id: 1, op: "c" }), false); // a table with a column named op
});

test("flattened rows: metadata stripped, __deleted and __op d delete, tombstones delete", () => {
  const flat = {
    id: 2,
    name: "desk",
    __op: "u",
    __table: "items",
    __schema: "public",
    __deleted: "false",
  };
  assert.deepEqual(debeziumChange(flat), {
    kind: "upsert",
    row: { id: 2, name: "desk" },
    op: "u",
    schema: "public",
    table: "items",
  });
  assert.equal(debeziumChange({ id: 2, __deleted: "true" }).kind, "delete");
  assert.equal(debeziumChange({ id: 2, __deleted: true }).kind, "delete");
  assert.equal(debeziumChange({ id: 2, __op: "d" }).kind, "delete");
  assert.deepEqual(debeziumChange(null), { kind: "delete" });
  assert.equal(debeziumChange("heartbeat").kind, "skip");
});

test("routed keys: the table identifier is found and stripped from the store key", () => {
  const key = { id: 7, __dbz__physicalTableIdentifier: "app.public.items" };
  assert.deepEqual(debeziumKey(key), { id: 7 });
  assert.equal(debeziumKey("text-key"), "text-key");
  const change = debeziumChange({ op: "c", after: { id: 7 }, source });
  assert.deepEqual(tableCandidates(key, "app.all", change), [
    "app.public.items",
    "app.all",
    "public.items",
    "items",
  ]);
  assert.deepEqual(tableCandidates({ id: 7 }, "app.public.items", undefined), ["app.public.items"]);
});
