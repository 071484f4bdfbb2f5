/**
 * Converts between a model's values and avsc's: bytes are Buffers in avsc and
 * plain Uint8Arrays in models, and unions of records are wrapped in avsc
 * (`{ "ns.Card": {...} }`) but plain in models. Compiled once per schema; a
 * subtree that needs no conversion costs nothing.
 */
import type avro from "avsc";
import { Buffer } from "node:buffer";
import type { AvscType } from "./avsc_type.ts";
import { branchKind, isChecked, wrappedBranchTakes } from "./union_kinds.ts";

type Convert = (value: unknown) => unknown;

/** Both directions; `undefined` where values pass through unchanged. */
export interface ValueAdapter {
  readonly toAvro?: Convert;
  readonly fromAvro?: Convert;
}

const none: ValueAdapter = {};

/** The adapter of an avsc type, memoised per type (named types recurse). */
export function valueAdapter(type: avro.Type): ValueAdapter {
  return adapt(type as unknown as AvscType, new Map());
}

function adapt(type: AvscType, seen: Map<AvscType, ValueAdapter>): ValueAdapter {
  const known = seen.get(type);
  if (known) return known;
  // Recursive records see a forwarding adapter until theirs is built.
  const forward: { toAvro?: Convert; fromAvro?: Convert } = {};
  seen.set(type, forward);
  const built = build(type, seen);
  Object.assign(forward, built);
  // Later uses get the adapter itself: a forward copy of `none` would look like work to do.
  seen.set(type, built);
  return built;
}

function build(type: AvscType, seen: Map<AvscType, ValueAdapter>): ValueAdapter {
  const name = type.typeName;
  if (name === "bytes" || name === "fixed") return { toAvro: toBuffer, fromAvro: toPlainBytes };
  // Logical types (timestamps) already map to model values inside avsc.
  if (name.startsWith("logical:")) return none;
  if (name === "record" || name === "error") return record(type, seen);
  if (name === "array") {
    return mapped(adapt(type.itemsType!, seen), (f) => (v) => (v as unknown[]).map(f));
  }
  if (name === "map") {
    return mapped(
      adapt(type.valuesType!, seen),
      (f) => (v) => Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, f(x)])),
    );
  }
  if (name === "union:wrapped") return wrappedUnion(type, seen);
  if (name === "union:unwrapped") return unwrappedUnion(type, seen);
  return none;
}

function toBuffer(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}

// A copy: avsc's Buffers share the message's memory, and models hold plain Uint8Arrays.
function toPlainBytes(value: unknown): unknown {
  return Buffer.isBuffer(value) ? new Uint8Array(value) : value;
}

function mapped(inner: ValueAdapter, lift: (f: Convert) => Convert): ValueAdapter {
  if (inner === none) return none;
  // Read inner's functions at call time: a recursive record's are filled in after this is built.
  return {
    toAvro: (v) => (inner.toAvro ? lift(inner.toAvro)(v) : v),
    fromAvro: (v) => (inner.fromAvro ? lift(inner.fromAvro)(v) : v),
  };
}

function record(type: AvscType, seen: Map<AvscType, ValueAdapter>): ValueAdapter {
  const fields = type.fields!.map((field) => ({
    name: field.name,
    adapter: adapt(field.type, seen),
  }))
    .filter((field) => field.adapter !== none);
  if (fields.length === 0) return none;
  const direction = (pick: (a: ValueAdapter) => Convert | undefined): Convert => (value) => {
    if (value === null || typeof value !== "object") return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const { name, adapter } of fields) {
      const convert = pick(adapter);
      if (convert && copy[name] !== undefined && copy[name] !== null) {
        copy[name] = convert(copy[name]);
      }
    }
    return copy;
  };
  return { toAvro: direction((a) => a.toAvro), fromAvro: direction((a) => a.fromAvro) };
}

function wrappedUnion(type: AvscType, seen: Map<AvscType, ValueAdapter>): ValueAdapter {
  const branches = type.types!.map((branch) => ({ branch, adapter: adapt(branch, seen) }));
  const byName = new Map(branches.map((b) => [b.branch.branchName!, b]));
  // Built on first write: a recursive record's adapter is complete by then.
  let writable: { name: string; takes: Convert; adapter: ValueAdapter }[] | undefined;
  return {
    toAvro: (value) => {
      if (value === null || value === undefined) return null;
      writable ??= branches.filter(({ branch }) => branch.typeName !== "null").map((b) => ({
        name: b.branch.branchName!,
        takes: wrappedBranchTakes(b.branch, b.adapter.toAvro),
        adapter: b.adapter,
      }));
      for (const { name, takes, adapter } of writable) {
        if (takes(value)) return { [name]: adapter.toAvro ? adapter.toAvro(value) : value };
      }
      return value; // avsc then reports the value as invalid, with the schema
    },
    fromAvro: (value) => {
      if (value === null || typeof value !== "object") return value;
      const [name] = Object.keys(value);
      const entry = byName.get(name);
      const inner = (value as Record<string, unknown>)[name];
      return entry?.adapter.fromAvro ? entry.adapter.fromAvro(inner) : inner;
    },
  };
}

/**
 * avsc files a value under the one branch of its kind (object, array,
 * bytes...), unless a logical branch's check takes it too: then the value is
 * that branch's (read as a Date, say), or avsc refuses it as ambiguous.
 */
function unwrappedUnion(type: AvscType, seen: Map<AvscType, ValueAdapter>): ValueAdapter {
  const branches = type.types!.filter((b) => b.typeName !== "null");
  const active = branches.flatMap((branch) => {
    const adapter = adapt(branch, seen);
    // Adapted branches are bytes, fixed, records, arrays and maps: all of a known kind.
    return adapter === none ? [] : [{ kind: branchKind(branch)!, adapter }];
  });
  if (active.length === 0) return none;
  const checked = branches.filter(isChecked).map((branch) => branchKind(branch)!);
  const direction = (pick: (a: ValueAdapter) => Convert | undefined): Convert => (value) => {
    if (value === null || value === undefined) return value;
    const branch = active.find(({ kind }) => kind(value));
    if (!branch || checked.some((takes) => takes(value))) return value;
    // Read at call time: a recursive record's functions are filled in after this is built.
    const convert = pick(branch.adapter);
    return convert ? convert(value) : value;
  };
  return { toAvro: direction((a) => a.toAvro), fromAvro: direction((a) => a.fromAvro) };
}
