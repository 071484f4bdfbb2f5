/**
 * Objects, arrays and records, checked in place. Valibot builds a new object
 * or array for each of them even when nothing changes; here the value is
 * walked once and left as it is.
 */
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";
import type { CheckContext, CompiledCheck } from "./check.ts";
import { compileNode, type SchemaNode } from "./compile_node.ts";
import { mayBeAbsent } from "./wrappers.ts";
import { generated } from "./generated.ts";

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
  const fields = Object.entries(entries).map(([key, schema]) => {
    const entry = compileNode(schema, context);
    exact &&= entry.exact;
    return { key, entry, absence: absenceOf(schema as unknown as SchemaNode, entry) };
  });
  const strict = node.type === "strict_object";
  return {
    check: generatedObject(fields, entries, strict) ?? closures(fields, entries, strict),
    exact,
  };
}

interface Field {
  readonly key: string;
  readonly entry: CompiledCheck;
  readonly absence: Absence;
}

/**
 * How a missing key is judged, as Valibot's object does: fine only for an
 * optional wrapper without a default; a default or fallback would fill it
 * (a change, so left to Valibot). `plain`: reading the key as undefined
 * decides it; `present`: the key must be there; `may-lack`: absent passes.
 */
type Absence = "plain" | "present" | "may-lack";

function absenceOf(node: SchemaNode, entry: CompiledCheck): Absence {
  const absence = mayBeAbsent(node);
  const fallback = node.fallback !== undefined;
  if (absence === "absent" && !fallback) {
    return node.type === "exact_optional" ? "may-lack" : "plain"; // undefined passes the others
  }
  // Here a missing key must fail; a check that takes undefined cannot tell it from a present one.
  if (absence !== "required" || fallback || acceptsUndefined(entry.check)) return "present";
  return "plain";
}

function generatedObject(
  fields: readonly Field[],
  entries: object,
  strict: boolean,
): ((value: unknown) => boolean) | undefined {
  const calls: ((value: unknown) => boolean)[] = [];
  const lines = fields.map(({ key, entry, absence }) => {
    const name = JSON.stringify(key);
    const test = entry.inline?.("e") ?? `c[${calls.push(entry.check) - 1}](e)`;
    const read = `e = x[${name}]; if (!(${test})) return false;`;
    if (absence === "present") return `if (!(${name} in x)) return false; ${read}`;
    if (absence === "may-lack") return `if (${name} in x) { ${read} }`;
    return read;
  });
  if (strict) lines.push("for (const k in x) if (!(k in entries)) return false;");
  return generated(
    ["c", "isPlainObject", "entries"],
    [calls, isPlainObject, entries],
    `return function check(x) {
      if (!isPlainObject(x)) return false;
      let e;
      ${lines.join("\n")}
      return true;
    };`,
  );
}

function closures(fields: readonly Field[], entries: object, strict: boolean) {
  const checks = fields.map(({ key, entry: { check }, absence }) =>
    absence === "present"
      ? (object: Record<string, unknown>) => key in object && check(object[key])
      : absence === "may-lack"
      ? (object: Record<string, unknown>) => !(key in object) || check(object[key])
      : (object: Record<string, unknown>) => check(object[key])
  );
  return (value: unknown): boolean => {
    if (!isPlainObject(value)) return false;
    for (let i = 0; i < checks.length; i++) if (!checks[i](value)) return false;
    if (strict) { for (const key in value) if (!(key in entries)) return false; }
    return true;
  };
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
  const inlined = item.inline && context.generate && generated<(value: unknown) => boolean>(
    [],
    [],
    `return function check(x) {
      if (!Array.isArray(x)) return false;
      for (let i = 0; i < x.length; i++) { const e = x[i]; if (!(${
      item.inline("e")
    })) return false; }
      return true;
    };`,
  );
  return {
    check: inlined || ((value) => {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) if (!check(value[i])) return false;
      return true;
    }),
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
