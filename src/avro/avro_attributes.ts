/**
 * Attributes an Avro schema carries beyond the spec's own, such as Kafka
 * Connect's `connect.name`, `connect.version` and `connect.parameters`: a
 * model made from the schema keeps them as `v.metadata({ avro })`, so the
 * schema written back from it is the one it came from.
 */
import { type Call, call } from "./valibot_expression.ts";

// Attributes the Avro -> Valibot mapping reads itself (or drops: aliases have no Valibot form).
const SPEC = new Set([
  "type",
  "name",
  "namespace",
  "aliases",
  "doc",
  "fields",
  "symbols",
  "default",
  "items",
  "values",
  "size",
  "logicalType",
  "precision",
  "scale",
]);

/** The attributes of a type object outside the spec's, or undefined when there are none. */
export function extraAttributes(
  node: { readonly [key: string]: unknown },
): Record<string, unknown> | undefined {
  const extra = Object.entries(node).filter(([key]) =>
    !SPEC.has(key) && !key.startsWith("flowodm.")
  );
  return extra.length === 0 ? undefined : Object.fromEntries(extra);
}

/**
 * Appends actions to a schema's pipe: one flat pipe, since Valibot nests
 * `v.pipe(v.pipe(...), ...)` and the Avro mapping reads the outer pipe only.
 */
export function withActions(schema: Call, ...actions: Call[]): Call {
  if (schema.fn === "pipe" && !schema.name) {
    return { ...schema, args: [...schema.args, ...actions.map((c) => ({ call: c }))] };
  }
  return call("pipe", schema, ...actions);
}
