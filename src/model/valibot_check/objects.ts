/**
 * Objects, arrays and records, checked in place. Valibot builds a new object
 * or array for each of them even when nothing changes; here the value is
 * walked once and left as it is.
 */
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";
import type { CheckContext, CompiledCheck } from "./check.ts";
import { compileNode, type SchemaNode } from "./compile_node.ts";
import { mayBeAbsent } from "./wrappers.ts";

type Entry = (object: Record<string, unknown>) => boolean;

/**
 * Valibot takes any object for an object or record and builds a plain one;
 * a Date, an array or a class instance would come out different, so only
 * plain objects are passed as they are.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `v.object`, `v.loose_object`, `v.strict_object` (the latter also refuses unknown keys). */
export function objectCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const entries = node.entries as Record<string, AnySchema>;
  let exact = true;
  const checks: Entry[] = Object.entries(entries).map(([key, schema]) => {
    const entry = compileNode(schema, context);
    exact &&= entry.exact;
    return entryCheck(key, schema as unknown as SchemaNode, entry);
  });
  const strict = node.type === "strict_object";
  const check = (value: unknown): boolean => {
    if (!isPlainObject(value)) return false;
    for (let i = 0; i < checks.length; i++) if (!checks[i](value)) return false;
    if (strict) { for (const key in value) if (!(key in entries)) return false; }
    return true;
  };
  return { check, exact };
}

/**
 * One key of an object, as Valibot's object treats it: an absent key is fine
 * only for an optional wrapper without a default, and a default or fallback
 * in its place is a change, so left to Valibot.
 */
function entryCheck(key: string, node: SchemaNode, entry: CompiledCheck): Entry {
  const check = entry.check;
  const absence = mayBeAbsent(node);
  const fallback = node.fallback !== undefined;
  if (absence === "absent" && !fallback) {
    if (node.type === "exact_optional") return (object) => !(key in object) || check(object[key]);
    return (object) => check(object[key]); // undefined passes these wrappers
  }
  // Here a missing key must fail; a check that takes undefined cannot tell it from a present one.
  if (absence !== "required" || fallback || acceptsUndefined(check)) {
    return (object) => key in object && check(object[key]);
  }
  return (object) => check(object[key]);
}

function acceptsUndefined(check: (value: unknown) => boolean): boolean {
  try {
    return check(undefined);
  } catch {
    return true;
  }
}

/** `v.array`: every item. */
export function arrayCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const item = compileNode(node.item as AnySchema, context);
  const check = item.check;
  return {
    check: (value) => {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) if (!check(value[i])) return false;
      return true;
    },
    exact: item.exact,
  };
}

// Valibot leaves these out of a record's output, and inherited keys too.
const SKIPPED_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/** `v.record` (an Avro map): every own key and value. */
export function recordCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const keys = compileNode(node.key as AnySchema, context).check;
  const values = compileNode(node.value as AnySchema, context).check;
  return {
    check: (value) => {
      if (!isPlainObject(value)) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key) || SKIPPED_KEYS.has(key)) return false;
        if (!keys(key) || !values(value[key])) return false;
      }
      return true;
    },
    // A skipped key makes the output differ from a value Valibot accepts.
    exact: false,
  };
}
