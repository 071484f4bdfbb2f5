/**
 * The benchmark record: an order of about 1 KiB in Avro with 13 fields
 * (strings, ints, doubles, a timestamp, an optional, an array, a nested
 * record), as a FlowODM model, and a pool of distinct values of it.
 */
import * as v from "valibot";
import { defineModel, type ModelSettings } from "../mod.ts";

/** Distinct records cycled through by every scenario. */
export const poolSize = 1_000;

const Address = v.object({
  street: v.string(),
  city: v.string(),
  postcode: v.string(),
  country: v.string(),
});

/** The Valibot schema of the record. */
export const OrderSchema = v.object({
  order_id: v.string(),
  customer_id: v.string(),
  email: v.string(),
  status: v.string(),
  quantity: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
  version: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
  amount: v.number(),
  tax: v.number(),
  placed_at: v.date(),
  coupon: v.nullish(v.string()),
  tags: v.array(v.string()),
  shipping: Address,
  description: v.string(),
});

/** The value type. */
export type Order = v.InferOutput<typeof OrderSchema>;

/** The model on `topic`, keyed by `order_id`. */
export function orderModel(
  topic: string,
  settings: Omit<ModelSettings, "topic" | "keyField" | "namespace"> = {},
) {
  return defineModel("BenchOrder", OrderSchema, {
    ...settings,
    topic,
    keyField: "order_id",
    namespace: "flowodm.bench",
  });
}

// Filler sized so that one encoded record is about 1 KiB (checked by the scenarios).
const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit ".repeat(17).slice(0, 890);

/** Record `i` of the pool (the `placed_at` Date is fixed per index, so pools are equal). */
export function order(i: number): Order {
  return {
    order_id: `order-${String(i).padStart(8, "0")}`,
    customer_id: `customer-${i % 977}`,
    email: `buyer${i}@example.com`,
    status: ["placed", "paid", "shipped", "delivered"][i % 4],
    quantity: 1 + (i % 50),
    version: 1 + (i % 7),
    amount: 10 + (i % 1000) * 1.25,
    tax: (i % 100) * 0.19,
    placed_at: new Date(1_700_000_000_000 + i * 1000),
    coupon: i % 3 === 0 ? undefined : `SAVE${i % 30}`,
    tags: ["bench", `t${i % 10}`, `g${i % 5}`],
    shipping: {
      street: `${i % 200} Long Street`,
      city: ["Berlin", "Lisbon", "Oslo", "Austin"][i % 4],
      postcode: String(10_000 + (i % 89_999)),
      country: ["DE", "PT", "NO", "US"][i % 4],
    },
    description: `${i} ${filler}`,
  };
}

/** The same record as plain JSON for clients without logical types (timestamp as epoch ms). */
export function plainOrder(i: number): Record<string, unknown> {
  const value = order(i);
  return { ...value, placed_at: value.placed_at.getTime(), coupon: value.coupon ?? null };
}

/** The pool of distinct records. */
export const orders: Order[] = Array.from({ length: poolSize }, (_, i) => order(i));
