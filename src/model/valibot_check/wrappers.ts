/**
 * `v.optional`, `v.nullable`, `v.nullish`, `v.exact_optional`: the value
 * they let through passes as it is, unless the wrapper has a default, which
 * Valibot would put in its place (so the check leaves it to Valibot).
 */
import type { CheckContext, CompiledCheck } from "./check.ts";
import { compileNode, type SchemaNode } from "./compile_node.ts";
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";

/** The wrapper's check: its empty values, then the wrapped schema's. */
export function wrapperCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const wrapped = compileNode(node.wrapped as AnySchema, context);
  const inner = wrapped.check;
  const empty = node.default === undefined; // an empty value passes unchanged
  const exact = wrapped.exact && empty;
  const inline = wrapped.inline;
  // Generated code gets the same test when the wrapped schema has one.
  const orInner = (test: (e: string) => string) =>
    inline && empty ? (e: string) => `(${test(e)} || ${inline(e)})` : undefined;
  switch (node.type) {
    case "optional":
      return {
        check: (value) => value === undefined ? empty : inner(value),
        exact,
        inline: orInner((e) => `${e} === undefined`),
      };
    case "nullable":
      return {
        check: (value) => value === null ? empty : inner(value),
        exact,
        inline: orInner((e) => `${e} === null`),
      };
    case "nullish":
      return {
        check: (value) => value === undefined || value === null ? empty : inner(value),
        exact,
        inline: orInner((e) => `(${e} === undefined || ${e} === null)`),
      };
    default: // exact_optional: only an absent key is let through, and objects see to that
      return wrapped;
  }
}

/** Whether an object may lack this entry's key: a wrapper that lets it be absent, without a default. */
export function mayBeAbsent(node: SchemaNode): "absent" | "default" | "required" {
  if (node.type !== "optional" && node.type !== "nullish" && node.type !== "exact_optional") {
    return "required";
  }
  return node.default === undefined ? "absent" : "default";
}
