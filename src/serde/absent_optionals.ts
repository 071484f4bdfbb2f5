/**
 * Avro has no "absent": a `v.optional(T)` field is written as `["null", T]`
 * and an absent value travels as null. A model that accepts undefined but not
 * null would then refuse its own values on decode, so before validation the
 * nulls of such fields are turned back into absent keys. Built once per
 * Valibot schema; a schema without such fields costs nothing.
 */
import type * as v from "valibot";

type Normalize = (value: unknown) => void;

interface Node {
  readonly type: string;
  readonly wrapped?: Node;
  readonly entries?: Record<string, Node>;
  readonly item?: Node;
  readonly value?: Node;
  readonly options?: readonly Node[];
  readonly key?: string | Node;
  readonly literal?: unknown;
  readonly getter?: (input: unknown) => Node;
}

/** The in-place normaliser of decoded values for `schema`, or undefined when none is needed. */
export function absentOptionals(schema: v.GenericSchema): Normalize | undefined {
  return build(schema as unknown as Node, new Map());
}

function build(node: Node, seen: Map<Node, Normalize | undefined>): Normalize | undefined {
  if (seen.has(node)) return seen.get(node);
  // Recursive schemas (v.lazy) meet themselves: a forward reference until built.
  const forward: { to?: Normalize } = {};
  seen.set(node, (value) => forward.to?.(value));
  forward.to = buildNode(node, seen);
  seen.set(node, forward.to);
  return forward.to;
}

function buildNode(node: Node, seen: Map<Node, Normalize | undefined>): Normalize | undefined {
  switch (node.type) {
    case "optional":
    case "exact_optional":
    case "nullable":
    case "nullish":
    case "non_optional":
    case "non_nullable":
    case "non_nullish":
      return build(node.wrapped!, seen);
    case "lazy":
      return build(node.getter!(undefined), seen);
    case "object":
    case "loose_object":
    case "strict_object":
    case "object_with_rest":
      return object(node.entries!, seen);
    case "array":
      return each(build(node.item!, seen), (value) => value as unknown[]);
    case "record":
      return each(build(node.value!, seen), (value) => Object.values(value as object));
    case "variant":
      return variant(node, seen);
    default:
      return undefined;
  }
}

function object(entries: Record<string, Node>, seen: Map<Node, Normalize | undefined>) {
  const absentWhenNull = Object.entries(entries)
    .filter(([, entry]) => isOptionalOnly(entry))
    .map(([name]) => name);
  const nested = Object.entries(entries)
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
function isOptionalOnly(entry: Node): boolean {
  if (entry.type !== "optional" && entry.type !== "exact_optional") return false;
  let inner = entry.wrapped!;
  while (inner.type === "lazy") inner = inner.getter!(undefined);
  return !["nullable", "nullish", "null", "any", "unknown"].includes(inner.type);
}

function each(normalize: Normalize | undefined, items: (value: unknown) => unknown[]) {
  if (!normalize) return undefined;
  return (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    for (const item of items(value)) if (item !== null && item !== undefined) normalize(item);
  };
}

/** Variants pick their option by the discriminator, so only that option's fields change. */
function variant(node: Node, seen: Map<Node, Normalize | undefined>) {
  const key = node.key as string;
  const byTag = new Map<unknown, Normalize>();
  for (const option of node.options!) {
    const normalize = build(option, seen);
    const tag = option.entries?.[key];
    if (normalize && tag?.type === "literal") byTag.set(tag.literal, normalize);
  }
  if (byTag.size === 0) return undefined;
  return (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    byTag.get((value as Record<string, unknown>)[key])?.(value);
  };
}
