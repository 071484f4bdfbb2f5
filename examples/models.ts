/**
 * The models of a small shop, as a service would keep them: the module that
 * `flowodm validate --models examples/models.ts --registry --strict` checks in CI.
 *
 *   flowodm register --models examples/models.ts --dry-run
 *   flowodm check-compatibility --models examples/models.ts --level FULL_TRANSITIVE
 */
import * as v from "valibot";
import { defineModel, type ModelOutput } from "@flowodm/flowodm";

/** An order placed, paid or shipped. */
export const OrderEvent = defineModel(
  "OrderEvent",
  v.object({
    order_id: v.string(),
    customer_id: v.string(),
    status: v.picklist(["PLACED", "PAID", "SHIPPED", "CANCELLED"]),
    total: v.pipe(v.number(), v.minValue(0)),
    currency: v.pipe(v.string(), v.length(3)),
    lines: v.array(v.object({ sku: v.string(), quantity: v.pipe(v.number(), v.integer()) })),
    note: v.optional(v.nullable(v.string())),
    occurred_at: v.date(),
  }),
  { topic: "shop.orders", keyField: "order_id", namespace: "com.example.shop" },
);
export type OrderEvent = ModelOutput<typeof OrderEvent>;

/** A customer signed up, changed their details, or left. */
export const CustomerEvent = defineModel(
  "CustomerEvent",
  v.object({
    customer_id: v.string(),
    kind: v.picklist(["SIGNED_UP", "UPDATED", "DELETED"]),
    email: v.pipe(v.string(), v.email()),
    country: v.optional(v.nullable(v.string())),
    marketing_opt_in: v.boolean(),
    occurred_at: v.date(),
  }),
  { topic: "shop.customers", keyField: "customer_id", namespace: "com.example.shop" },
);
export type CustomerEvent = ModelOutput<typeof CustomerEvent>;
