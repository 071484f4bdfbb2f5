/**
 * A model derived from an Avro schema reads and writes what the original
 * Valibot model does, through the real registry.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { modelFromAvro } from "../../src/model/model_from_avro.ts";
import { Order, orderAvro } from "../avro/order_avro.ts";

test("values written with the original model decode and validate with the derived model", {
  timeout: 60_000,
}, async () => {
  const settings = {
    topic: uniqueName("derived"),
    namespace: "shop",
    connection: new Connection({ schemaRegistryUrl: registryUrl() }),
  };
  const Original = defineModel("Order", Order, settings);
  const Derived = modelFromAvro(orderAvro, settings);
  const value = {
    id: "6a2f41a3-c54c-fce8-32d2-0324e1c32e22",
    qty: 3,
    total: 2 ** 40,
    price: 9.99,
    paid: true,
    blob: new Uint8Array([0, 1, 2]),
    at: new Date(1_700_000_000_000),
    status: "PAID" as const,
    hash: new Uint8Array([9, 8, 7, 6]),
    amount: "-1234567890.12",
    fee: "-0.0001",
    note: "hi",
    tags: ["a"],
    attrs: { w: 1.5 },
    ship: { city: "Oslo", zip: null },
    bill: null,
    pay: { kind: "card" as const, last4: "4242" },
  };
  const bytes = await Original.encode(value);
  // The original's nullish fields are optional in the derived model: their nulls come back absent.
  const { bill: _bill, ...derivedValue } = { ...value, ship: { city: "Oslo" } };
  assert.deepEqual(await Derived.decode(bytes), derivedValue);
  // And back: the derived model writes what the original reads, under the same schema id.
  const again = await Derived.encode(await Derived.decode(bytes));
  assert.deepEqual(again, bytes);
  assert.deepEqual(await Original.decode(again), value);
});
