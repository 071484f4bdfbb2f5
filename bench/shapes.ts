/**
 * The record shapes of the serde rows: the benchmark's order (bench/record.ts),
 * a wide record of 40 short strings, and an invoice with a nested array of 20
 * line records. Each gives its model, a pool of validated values, and the same
 * values as plain JSON for the peers (which know no logical types).
 */
import * as v from "valibot";
import { defineModel } from "../mod.ts";
import { orderModel, orders, plainOrder, poolSize } from "./record.ts";

/** A shape's name on the command line (`--shape`). */
export type ShapeName = "order" | "wide" | "nested";

/** Every shape, in table order. */
export const shapeNames: readonly ShapeName[] = ["order", "wide", "nested"];

/** What the serde scenario needs of a shape. */
export interface Shape {
  // deno-lint-ignore no-explicit-any -- the three models have different value types
  readonly model: (topic: string) => any;
  /** The pool of values FlowODM encodes. */
  readonly values: readonly unknown[];
  /** The same values as the peers take them. */
  readonly plain: readonly Record<string, unknown>[];
}

const wideFields = 40;
const WideSchema = v.object(
  Object.fromEntries(Array.from({ length: wideFields }, (_, f) => [`field_${f}`, v.string()])),
);

function wide(i: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: wideFields }, (_, f) => [`field_${f}`, `v${(i * 31 + f) % 100_000}`]),
  );
}

const Line = v.object({
  sku: v.string(),
  quantity: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
  price: v.number(),
  gift: v.boolean(),
});
const InvoiceSchema = v.object({
  invoice_id: v.string(),
  customer_id: v.string(),
  lines: v.array(Line),
});

function invoice(i: number): v.InferOutput<typeof InvoiceSchema> {
  return {
    invoice_id: `invoice-${i}`,
    customer_id: `customer-${i % 977}`,
    lines: Array.from({ length: 20 }, (_, l) => ({
      sku: `sku-${(i + l) % 5_000}`,
      quantity: 1 + ((i + l) % 9),
      price: 0.5 + ((i * 7 + l) % 400) * 0.25,
      gift: (i + l) % 11 === 0,
    })),
  };
}

const pool = <T>(make: (i: number) => T): T[] =>
  Array.from({ length: poolSize }, (_, i) => make(i));

/** The shape called `name`. */
export function shape(name: ShapeName): Shape {
  switch (name) {
    case "order":
      return { model: orderModel, values: orders, plain: pool(plainOrder) };
    case "wide": {
      const values = pool(wide);
      return {
        model: (topic) =>
          defineModel("BenchWide", WideSchema, { topic, namespace: "flowodm.bench" }),
        values,
        plain: values,
      };
    }
    case "nested": {
      const values = pool(invoice);
      return {
        model: (topic) =>
          defineModel("BenchInvoice", InvoiceSchema, { topic, namespace: "flowodm.bench" }),
        values,
        plain: values,
      };
    }
  }
}
