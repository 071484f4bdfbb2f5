/**
 * Avro unions over model values, choosing the branch avsc would choose for
 * the value the model adapter would hand it. Unwrapped unions (one branch
 * per kind of JS value) choose by the value's kind, and logical branches
 * (Dates, decimal strings, bigints) by avsc's own check; `["null", T]`, the
 * common optional, tests null then T's kind. Wrapped unions (several records,
 * string and enum...) take the first branch of the value's kind that avsc
 * accepts the adapted value in. A
 * value no branch takes throws.
 */
import type { ValueAdapter } from "../value_adapter.ts";
import type { AvscType, Write } from "./writer_types.ts";
import { invalid } from "./writer_types.ts";
import { writeVarint } from "./varint.ts";
import { branchKind, type Kind, wrappedBranchTakes } from "../union_kinds.ts";

/** `["null", T]` in either order. */
export function nullableWriter(
  nullIndex: number,
  other: AvscType,
  write: Write,
): Write | undefined {
  const test = branchKind(other);
  if (!test) return undefined;
  const nullByte = nullIndex << 1;
  const otherByte = (1 - nullIndex) << 1;
  return (t, p, v) => {
    if (v === null) {
      t[p] = nullByte;
      return p + 1;
    }
    if (!test(v)) invalid(v, "union branch");
    t[p] = otherByte;
    return write(t, p + 1, v);
  };
}

/** An unwrapped union: the one branch of the value's kind, unless a logical branch also takes it. */
export function unwrappedWriter(
  branches: readonly AvscType[],
  writes: readonly Write[],
): Write | undefined {
  const tests: Kind[] = [];
  for (const branch of branches) {
    const test = branch.typeName === "null" ? (v: unknown) => v === null : branchKind(branch);
    if (!test) return undefined;
    tests.push(test);
  }
  return (t, p, v) => {
    let index = -1;
    for (let i = 0; i < tests.length; i++) {
      if (!tests[i](v)) continue;
      if (index !== -1) invalid(v, "union (ambiguous)"); // avsc refuses rather than guess
      index = i;
    }
    if (index === -1) invalid(v, "union branch");
    return writes[index](t, writeVarint(t, p, index), v);
  };
}

/** A wrapped union: the first non-null branch of the value's kind whose avsc check takes it adapted. */
export function wrappedWriter(
  branches: readonly AvscType[],
  writes: readonly Write[],
  adapterOf: (branch: AvscType) => ValueAdapter,
): Write {
  const nullIndex = branches.findIndex((b) => b.typeName === "null");
  const others = branches.flatMap((branch, index) => {
    if (branch.typeName === "null") return [];
    const accepts = wrappedBranchTakes(branch, adapterOf(branch).toAvro);
    return [{ index, accepts, write: writes[index] }];
  });
  return (t, p, v) => {
    if (v === null) {
      if (nullIndex === -1) invalid(v, "union branch");
      return writeVarint(t, p, nullIndex);
    }
    for (const branch of others) {
      if (branch.accepts(v)) return branch.write(t, writeVarint(t, p, branch.index), v);
    }
    return invalid(v, "union branch");
  };
}
