/**
 * One schema's no-copy check: its kind's check, then its pipe's actions;
 * a fallback makes it inexact. Compiled once per schema object, so schemas
 * used twice, and lazy ones met again at run time, are compiled once.
 */
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";
import { type CheckContext, type CompiledCheck, Unsupported } from "./check.ts";
import { scalarCheck } from "./scalars.ts";
import { wrapperCheck } from "./wrappers.ts";
import { arrayCheck, objectCheck, recordCheck } from "./objects.ts";
import { lazyCheck, unionCheck, variantCheck } from "./choices.ts";
import { pipeCheck } from "./pipe_actions.ts";

/** The fields of a Valibot schema object this module reads. */
export interface SchemaNode {
  readonly kind: string;
  readonly type: string;
  readonly async: boolean;
  readonly pipe?: readonly SchemaNode[];
  readonly fallback?: unknown;
  readonly [field: string]: unknown;
}

/** The compiled check of `schema`, from the cache when it was compiled before. */
export function compileNode(schema: AnySchema, context: CheckContext): CompiledCheck {
  const known = context.compiled.get(schema);
  if (known) return known;
  const compiled = build(schema as unknown as SchemaNode, context);
  context.compiled.set(schema, compiled);
  return compiled;
}

function build(node: SchemaNode, context: CheckContext): CompiledCheck {
  if (node.async) throw new Unsupported(`async v.${node.type}()`);
  const own = node.pipe ? pipeCheck(node.pipe, context) : kindCheck(node, context);
  // A fallback turns a refusal into a different value: only `true` stays certain.
  return node.fallback === undefined ? own : { check: own.check, exact: false };
}

function kindCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  switch (node.type) {
    case "optional":
    case "nullable":
    case "nullish":
    case "exact_optional":
      return wrapperCheck(node, context);
    case "object":
    case "loose_object":
    case "strict_object":
      return objectCheck(node, context);
    case "array":
      return arrayCheck(node, context);
    case "record":
      return recordCheck(node, context);
    case "union":
      return unionCheck(node, context);
    case "variant":
      return variantCheck(node, context);
    case "lazy":
      return lazyCheck(node, context);
    default:
      return scalarCheck(node);
  }
}
