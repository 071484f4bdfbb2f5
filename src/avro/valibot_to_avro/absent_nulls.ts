/**
 * Avro has no "absent": a `v.optional(T)` field is written as `["null", T]`
 * and an absent value travels as null. A model that accepts undefined but not
 * null would then refuse its own values on decode, so before validation the
 * nulls of such fields are turned back into absent keys. The normalisers are
 * built during the one conversion to Avro, each converter from its
 * children's (kept in `context.normalizers`); a schema without such fields
 * has none and costs nothing.
 */
import type { Context, Normalize } from "./context.ts";
import { type Convertible, convertible, type ObjectLike } from "./schema_types.ts";

type Of<T extends Convertible["type"]> = Extract<Convertible, { readonly type: T }>;

/** `schema` normalises as `child` does (wrappers, `v.lazy`). */
export function keepNormalizer(context: Context, schema: object, child: object): void {
  const normalize = context.normalizers.get(child);
  if (normalize) context.normalizers.set(schema, normalize);
}

/** Arrays and maps: each item normalises as `child` does. */
export function eachNormalizer(
  context: Context,
  schema: object,
  child: object,
  items: (value: unknown) => unknown[],
): void {
  const normalize = context.normalizers.get(child);
  if (!normalize) return;
  context.normalizers.set(schema, (value) => {
    if (value === null || typeof value !== "object") return;
    for (const item of items(value)) if (item !== null && item !== undefined) normalize(item);
  });
}

/**
 * A record's normaliser before its fields are converted: a field referring
 * back to the record (recursion) gets a forward reference, settled once the
 * record is done (and dropped when it needs none).
 */
export function forwardNormalizer(context: Context, schema: object) {
  const forward: { to?: Normalize } = {};
  context.normalizers.set(schema, (value) => forward.to?.(value));
  return {
    settle(normalize: Normalize | undefined): void {
      forward.to = normalize;
      if (normalize) context.normalizers.set(schema, normalize);
      else context.normalizers.delete(schema);
    },
  };
}

/** Nulls of optional-only fields become absent; nested fields normalise as their schemas do. */
export function objectNormalizer(context: Context, schema: ObjectLike): Normalize | undefined {
  const entries = Object.entries(schema.entries).map(([name, entry]) =>
    [name, convertible(entry)] as const
  );
  const absentWhenNull = entries.filter(([, entry]) => isOptionalOnly(entry)).map(([name]) => name);
  const nested = entries.flatMap(([name, entry]) => {
    const normalize = context.normalizers.get(entry);
    return normalize ? [{ name, normalize }] : [];
  });
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

/** Variants pick their option by the discriminator, so only that option's fields change. */
export function variantNormalizer(context: Context, schema: Of<"variant">): void {
  const key = schema.key;
  const byTag = new Map<unknown, Normalize>();
  for (const option of schema.options) {
    const normalize = context.normalizers.get(option);
    // An option is an object with the key, or a nested variant (whose options were converted).
    const entry = "entries" in option ? option.entries[key] : undefined;
    const tag = entry ? convertible(entry) : undefined;
    if (normalize && tag?.type === "literal") byTag.set(tag.literal, normalize);
  }
  if (byTag.size === 0) return;
  context.normalizers.set(schema, (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    byTag.get((value as Record<string, unknown>)[key])?.(value);
  });
}
