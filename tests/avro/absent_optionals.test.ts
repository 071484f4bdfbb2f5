/**
 * `v.optional(T)` fields travel as Avro null when absent; decoding gives
 * them back as absent keys, so a model reads its own values. Nullable and
 * nullish fields keep their nulls.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { absentOptionals } from "../../src/avro/valibot_to_avro/absent_optionals.ts";
import { convertible } from "../../src/avro/valibot_to_avro/schema_types.ts";

const Line = v.object({ sku: v.string(), note: v.optional(v.string()) });

const Order = v.object({
  id: v.string(),
  note: v.optional(v.string()),
  count: v.optional(v.pipe(v.number(), v.integer())),
  cancelledAt: v.optional(v.date()),
  maybe: v.nullable(v.string()),
  either: v.nullish(v.string()),
  lines: v.array(Line),
  byName: v.record(v.string(), Line),
  shipping: v.optional(v.object({ city: v.string(), floor: v.optional(v.number()) })),
  payment: v.variant("kind", [
    v.object({ kind: v.literal("card"), last4: v.optional(v.string()) }),
    v.object({ kind: v.literal("cash"), change: v.nullable(v.number()) }),
  ]),
});

test(
  "nulls of optional-only fields become absent keys, at every depth",
  { timeout: 60_000 },
  () => {
    const normalize = absentOptionals(Order)!;
    const decoded = {
      id: "o-1",
      note: null,
      count: null,
      cancelledAt: null,
      maybe: null,
      either: null,
      lines: [{ sku: "a", note: null }, { sku: "b", note: "gift" }],
      byName: { x: { sku: "x", note: null } },
      shipping: { city: "Oslo", floor: null },
      payment: { kind: "card", last4: null },
    };
    normalize(decoded);
    assert.deepEqual(decoded, {
      id: "o-1",
      maybe: null,
      either: null,
      lines: [{ sku: "a" }, { sku: "b", note: "gift" }],
      byName: { x: { sku: "x" } },
      shipping: { city: "Oslo" },
      payment: { kind: "card" },
    });
    const cash = { kind: "cash", change: null };
    absentOptionals(Order.entries.payment)!(cash);
    assert.deepEqual(cash, { kind: "cash", change: null }, "a nullable field keeps its null");
  },
);

test("a schema without optional-only fields needs no normaliser; recursion terminates", {
  timeout: 60_000,
}, () => {
  assert.equal(absentOptionals(v.object({ a: v.nullish(v.string()), b: v.number() })), undefined);
  interface Tree {
    label?: string;
    children: Tree[];
  }
  const Tree: v.GenericSchema<Tree> = v.object({
    label: v.optional(v.string()),
    children: v.array(v.lazy(() => Tree)),
  });
  const value = {
    label: null,
    children: [{ label: "leaf", children: [] }, { label: null, children: [] }],
  };
  absentOptionals(convertible(Tree))!(value);
  assert.deepEqual(value, { children: [{ label: "leaf", children: [] }, { children: [] }] });
});

test(
  "a model with optional fields reads its own values through the registry",
  { timeout: 60_000 },
  async () => {
    const Model = defineModel("AbsentOrder", Order, {
      topic: uniqueName("absent"),
      namespace: "com.example.absent",
      connection: new Connection({ schemaRegistryUrl: registryUrl() }),
    });
    const sparse = {
      id: "o-2",
      maybe: null,
      lines: [{ sku: "a" }],
      byName: {},
      payment: { kind: "card" as const },
    };
    // A nullish field takes null, and Avro cannot tell absent from null: it comes back null.
    assert.deepEqual(await Model.decode(await Model.encode(sparse)), { ...sparse, either: null });
    const full = {
      id: "o-3",
      note: "fragile",
      count: 3,
      cancelledAt: new Date(1_700_000_000_000),
      maybe: "m",
      either: "e",
      lines: [{ sku: "a", note: "n" }],
      byName: { a: { sku: "a" } },
      shipping: { city: "Oslo", floor: 4 },
      payment: { kind: "cash" as const, change: 0.5 },
    };
    assert.deepEqual(await Model.decode(await Model.encode(full)), full);
  },
);
