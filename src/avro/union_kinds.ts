/**
 * Which union branch a value belongs to, as avsc decides it: an unwrapped
 * union holds at most one branch per kind of JS value (object, array, bytes,
 * string, number, boolean, null) and files a value under the branch of its
 * kind; logical branches (Dates, decimal strings) and custom ones (bigint
 * longs) take the values their own check accepts. Shared by the value adapter and the compiled writer, so
 * both pick the branch avsc writes.
 */
import type { AvscType } from "./avsc_type.ts";

/** Whether a value is of one branch's kind. */
export type Kind = (value: unknown) => boolean;

// Records and maps; avsc's Buffers and the model's Uint8Arrays are bytes, Dates are objects too.
const isObject: Kind = (v) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

// avsc's `getTypeBucket`, as a test of a model value (or of avsc's value for the branch).
const kindOfBranch: Record<string, Kind> = {
  boolean: (v) => typeof v === "boolean",
  int: (v) => typeof v === "number",
  long: (v) => typeof v === "number",
  float: (v) => typeof v === "number",
  double: (v) => typeof v === "number",
  string: (v) => typeof v === "string",
  enum: (v) => typeof v === "string",
  bytes: (v) => v instanceof Uint8Array,
  fixed: (v) => v instanceof Uint8Array,
  array: Array.isArray,
  map: isObject,
  record: isObject,
  error: isObject,
};

/**
 * Whether a value is filed under `branch`: by its kind, or by the branch's
 * own check for a logical or custom type. Undefined for a branch of unknown kind.
 */
export function branchKind(branch: AvscType): Kind | undefined {
  if (isChecked(branch)) return (v) => branch._check(v);
  return kindOfBranch[branch.typeName];
}

/**
 * A logical or custom (`abstract:`) branch: avsc tries its check on every
 * value, besides the branch of the value's kind (both taking a value makes
 * it ambiguous, and refused).
 */
export function isChecked(branch: AvscType): boolean {
  return branch.typeName.startsWith("logical:") || branch.typeName.startsWith("abstract:");
}

/**
 * Whether a wrapped union's branch takes a model value: the value is of the
 * branch's kind and avsc accepts it once adapted (`toAvro`). Kinds first: a
 * map of ints would accept the indices and numbers of a byte array.
 */
export function wrappedBranchTakes(
  branch: AvscType,
  toAvro: ((value: unknown) => unknown) | undefined,
): Kind {
  const kind = branchKind(branch);
  const valid: Kind = (v) => branch.isValid(toAvro ? toAvro(v) : v);
  return kind ? (v) => kind(v) && valid(v) : valid;
}
