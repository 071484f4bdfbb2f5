/**
 * Avro has no "absent": a `v.optional(T)` field is written as `["null", T]`
 * and an absent value travels as null. A model that accepts undefined but not
 * null would then refuse its own values on decode, so before validation the
 * nulls of such fields are turned back into absent keys. Built once per
 * model schema (one that converted to Avro, so only schemas with an Avro form
 * occur); a schema without such fields costs nothing.
 */
import { type Convertible, convertible, type ObjectLike } from "./schema_types.ts";

type Normalize = (value: unknown) => void;
type Of<T extends Convertible["type"]> = Extract<Convertible, { readonly type: T }>;
type Seen = Map<Convertible, Normalize | undefined>;

/** The in-place normaliser of decoded values of `schema`, or undefined when none is needed. */
export function absentOptionals(schema: Convertible): Normalize | undefined {
  return build(schema, new Map());
}

function build(schema: Convertible, seen: Seen): Normalize | undefined {
  if (seen.has(schema)) return seen.get(schema);
  // Recursive schemas (v.lazy) meet themselves: a forward reference until built.
  const forward: { to?: Normalize } = {};
  seen.set(schema, (value) => forward.to?.(value));
  forward.to = buildSchema(schema, seen);
  seen.set(schema, forward.to);
  return forward.to;
}

function buildSchema(schema: Convertible, seen: Seen): Normalize | undefined {
  switch (schema.type) {
    case "optional":
    case "exact_optional":
    case "nullable":
    case "nullish":
      return build(convertible(schema.wrapped), seen);
    case "lazy":
      return build(convertible(schema.getter(undefined)), seen);
    case "object":
    case "strict_object":
    case "loose_object":
      return object(schema, seen);
    case "array":
      return each(build(convertible(schema.item), seen), (value) => value as unknown[]);
    case "record":
      return each(
        build(convertible(schema.value), seen),
        (value) => Object.values(value as object),
      );
    case "variant":
      return variant(schema, seen);
    default:
      return undefined;
  }
}

function object(schema: ObjectLike, seen: Seen): Normalize | undefined {
  const entries = Object.entries(schema.entries).map(([name, entry]) =>
    [name, convertible(entry)] as const
  );
  const absentWhenNull = entries.filter(([, entry]) => isOptionalOnly(entry)).map(([name]) => name);
  const nested = entries
    .map(([name, entry]) => ({ name, normalize: build(entry, seen) }))
    .filter((field): field is { name: string; normalize: Normalize } => !!field.normalize);
  if (absentWhenNull.length === 0 && nested.length === 0) return undefined;
  return (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    const fields = value as Record<string, unknown>;
    for (const name of absentWhenNull) if (fields[name] === null) delete fields[name];
    for (const { name, normalize } of nested) {
      if (fields[name] !== null && fields[name] !== undefined) normalize(fields[name]);
    }
  };
}

/** `v.optional` (or `v.exact_optional`) around a schema that does not itself take null. */
function isOptionalOnly(entry: Convertible): boolean {
  if (entry.type !== "optional" && entry.type !== "exact_optional") return false;
  let inner = convertible(entry.wrapped);
  while (inner.type === "lazy") inner = convertible(inner.getter(undefined));
  const type: string = inner.type;
  return !["nullable", "nullish", "null", "any", "unknown"].includes(type);
}

function each(normalize: Normalize | undefined, items: (value: unknown) => unknown[]) {
  if (!normalize) return undefined;
  return (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    for (const item of items(value)) if (item !== null && item !== undefined) normalize(item);
  };
}

/** Variants pick their option by the discriminator, so only that option's fields change. */
function variant(schema: Of<"variant">, seen: Seen): Normalize | undefined {
  const key = schema.key;
  const byTag = new Map<unknown, Normalize>();
  for (const option of schema.options) {
    const normalize = build(convertible(option), seen);
    // An option is an object with the key, or a nested variant (whose options the walk reached).
    const entry = "entries" in option ? option.entries[key] : undefined;
    const tag = entry ? convertible(entry) : undefined;
    if (normalize && tag?.type === "literal") byTag.set(tag.literal, normalize);
  }
  if (byTag.size === 0) return undefined;
  return (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    byTag.get((value as Record<string, unknown>)[key])?.(value);
  };
}
