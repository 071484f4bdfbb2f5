/**
 * Recognising models among a module's exports, for tools such as the CLI that
 * import user modules. Duck-typed on purpose: a user module may define its
 * models with another copy of FlowODM (its own `@flowodm/flowodm`), so an
 * identity check would miss them.
 *
 * @module
 */
import type { Model } from "./model.ts";

/**
 * Whether a value is a FlowODM model: it has a name, a subject, settings with
 * a topic, a generated Avro schema, and the model's methods.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineModel, isModel } from "@flowodm/flowodm";
 * const Order = defineModel("Order", v.object({ id: v.string() }), { topic: "orders" });
 * console.log(isModel(Order), isModel({ name: "Order" })); // true false
 * ```
 */
export function isModel(value: unknown): value is Model<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const model = value as Partial<Record<keyof Model<unknown>, unknown>>;
  return typeof model.name === "string" &&
    typeof model.subject === "string" &&
    typeof model.avroSchema === "object" && model.avroSchema !== null &&
    typeof (model.settings as { topic?: unknown } | undefined)?.topic === "string" &&
    typeof model.parse === "function" &&
    typeof model.encode === "function" &&
    typeof model.withConnection === "function";
}
