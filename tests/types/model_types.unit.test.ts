/**
 * Type inference is the product: these assertions are checked by `deno check`
 * (`deno task check`), and each test also checks at run time that the value
 * it types is what the model gives.
 *
 * Assertions that were not yet true when written were marked with a
 * `@ts-expect-error` documenting the old type; both (produce takes the input
 * type; a key model's `msg.key` is `K`) have landed and been flipped.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { defineModel, type ModelKey, type ModelOutput } from "../../mod.ts";
import { type Accepts, type Consumed, type Equal, expectType } from "./expect.ts";
import { test } from "node:test";

const orderSchema = v.object({
  order_id: v.string(),
  amount: v.number(),
  currency: v.optional(v.string(), "EUR"),
  note: v.optional(v.string()),
  placed: v.date(),
});
const Order = defineModel("TypedOrder", orderSchema, {
  topic: "typed-orders",
  keyField: "order_id",
});

const shipmentKey = v.object({ tenant: v.string(), shipment_id: v.bigint() });
const Shipment = defineModel(
  "TypedShipment",
  v.object({ tenant: v.string(), shipment_id: v.bigint(), weight: v.number() }),
  { topic: "typed-shipments", keySchema: shipmentKey },
);

type Order = ModelOutput<typeof Order>;
type Shipment = ModelOutput<typeof Shipment>;

test("defineModel infers the output type of the schema, defaults filled in", () => {
  expectType<Equal<Order, v.InferOutput<typeof orderSchema>>>();
  expectType<
    Equal<Order, {
      order_id: string;
      amount: number;
      currency: string;
      note?: string | undefined;
      placed: Date;
    }>
  >();
  expectType<Equal<Shipment, { tenant: string; shipment_id: bigint; weight: number }>>();
  // @ts-expect-error -- an output always has its defaulted field
  expectType<Equal<Order["currency"], string | undefined>>();
  const order = Order.parse({ order_id: "o-1", amount: 2, placed: new Date(0) });
  assert.equal(order.currency, "EUR", "the default is in the output the type promises");
});

test("ModelKey: string for keyField models, the key schema's output for keySchema models", () => {
  expectType<Equal<ModelKey<typeof Order>, string>>();
  expectType<Equal<ModelKey<typeof Shipment>, { tenant: string; shipment_id: bigint }>>();
  expectType<Equal<ReturnType<typeof Shipment.keyOf>, ModelKey<typeof Shipment> | null>>();
  const key = Shipment.keyOf({ tenant: "acme", shipment_id: 7n, weight: 1 });
  assert.deepEqual(key, { tenant: "acme", shipment_id: 7n });
});

test("ModelOutput and ModelKey of a non-model are never", () => {
  expectType<Equal<ModelOutput<{ name: string }>, never>>();
  expectType<Equal<ModelKey<string>, never>>();
  assert.equal(typeof Order.parse, "function");
});

test("produce() refuses values of the wrong shape and keys of the wrong type", () => {
  const produce = Order.produce;
  // Functions that are never called: only their type-checking matters here.
  const calls = [
    // @ts-expect-error -- amount must be a number
    () => produce({ order_id: "o", amount: "2", placed: new Date() }),
    // @ts-expect-error -- order_id is required
    () => produce({ amount: 2, placed: new Date() }),
    // @ts-expect-error -- a keyField model's key is text
    () => produce({ order_id: "o", amount: 2, currency: "EUR", placed: new Date() }, { key: 5 }),
    () =>
      Shipment.produce({ tenant: "t", shipment_id: 1n, weight: 1 }, {
        key: { tenant: "t", shipment_id: 1n },
      }),
    // @ts-expect-error -- a keySchema model's key has the key schema's type
    () => Shipment.produce({ tenant: "t", shipment_id: 1n, weight: 1 }, { key: "t/1" }),
  ];
  assert.equal(calls.length, 5);
  assert.throws(() => Order.parse({ amount: "2" }), /order_id|amount/);
});

test("produce() input: fields with a default may be left out", () => {
  type ProduceInput = Parameters<typeof Order.produce>[0];
  expectType<Equal<ProduceInput, v.InferInput<typeof orderSchema>>>();
  expectType<Accepts<ProduceInput, Order>>(); // an output is always a valid input
  const call = () => Order.produce({ order_id: "o", amount: 2, placed: new Date() });
  assert.equal(typeof call, "function");
  assert.equal(Order.parse({ order_id: "o", amount: 2, placed: new Date(0) }).currency, "EUR");
});

test("consume(): a value or a tombstone, told apart by `tombstone`; a key model's msg.key is K", () => {
  type OrderMessage = Consumed<typeof Order>;
  type ShipmentMessage = Consumed<typeof Shipment>;
  expectType<Equal<OrderMessage["value"], Order | null>>();
  expectType<Equal<Extract<OrderMessage, { tombstone: false }>["value"], Order>>();
  expectType<Equal<Extract<ShipmentMessage, { tombstone: false }>["value"], Shipment>>();
  expectType<Equal<Extract<OrderMessage, { tombstone: true }>["value"], null>>();
  expectType<Equal<ShipmentMessage["key"], ModelKey<typeof Shipment>>>();
  assert.equal(typeof Shipment.consume, "function");
});
