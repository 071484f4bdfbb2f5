/**
 * Valibot's `v.record` takes an array (or a typed array, such as bytes) and
 * outputs a plain object keyed "0", "1", ...: a value holding one where the
 * model has a map (an Avro map) would be written as that map without a word.
 * TypeScript stops typed callers; this stops the rest (JavaScript, parsed
 * JSON) by finding such an array before Valibot sees the value.
 *
 * Unions and lazy schemas are not looked into: an array may be a valid
 * branch of a union, and a lazy schema is only known at run time.
 *
 * @module
 */
import type { SchemaNode } from "./valibot_check/compile_node.ts";

/** The path of an array or typed array met where the schema has a record, or undefined. */
type Finder = (value: unknown) => string[] | undefined;

/**
 * A function giving the dotted path of the first array or typed array that
 * `schema` would read as a record (a map), or undefined; undefined itself
 * when the schema has no record it could meet one at.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { arrayForMapFinder } from "./array_for_map.ts";
 * const find = arrayForMapFinder(v.object({ tags: v.record(v.string(), v.number()) }));
 * find?.({ tags: [1, 2] }); // "tags"
 * find?.({ tags: { a: 1 } }); // undefined
 * ```
 */
export function arrayForMapFinder(
  schema: unknown,
): ((value: unknown) => string | undefined) | undefined {
  const find = finderOf(schema as SchemaNode);
  if (!find) return undefined;
  return (value) => find(value)?.join(".");
}

function finderOf(node: SchemaNode): Finder | undefined {
  switch (node.type) {
    case "optional":
    case "nullable":
    case "nullish":
    case "exact_optional":
      return finderOf(node.wrapped as SchemaNode);
    case "object":
    case "loose_object":
    case "strict_object":
      return objectFinder(node.entries as Record<string, SchemaNode>);
    case "array":
      return arrayFinder(node.item as SchemaNode);
    case "record":
      return recordFinder(node.value as SchemaNode);
    default:
      return undefined;
  }
}

function objectFinder(entries: Record<string, SchemaNode>): Finder | undefined {
  const fields = Object.entries(entries).flatMap(([key, schema]) => {
    const find = finderOf(schema);
    return find ? [{ key, find }] : [];
  });
  if (fields.length === 0) return undefined;
  return (value) => {
    if (!value || typeof value !== "object") return undefined;
    for (const { key, find } of fields) {
      const at = find((value as Record<string, unknown>)[key]);
      if (at) return [key, ...at];
    }
    return undefined;
  };
}

function arrayFinder(item: SchemaNode): Finder | undefined {
  const find = finderOf(item);
  if (!find) return undefined;
  return (value) => {
    if (!Array.isArray(value)) return undefined;
    for (const [index, element] of value.entries()) {
      const at = find(element);
      if (at) return [String(index), ...at];
    }
    return undefined;
  };
}

function recordFinder(valueSchema: SchemaNode): Finder {
  const find = finderOf(valueSchema);
  return (value) => {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) return [];
    if (!find || !value || typeof value !== "object") return undefined;
    for (const [key, entry] of Object.entries(value)) {
      const at = find(entry);
      if (at) return [key, ...at];
    }
    return undefined;
  };
}
