/**
 * JavaScript source for reading one avsc type: a function per record (one
 * object literal, fields in schema order), array, map, union and enum, and
 * the primitive reads of cursor.ts inline. Generated from avsc's compiled
 * type rather than the schema text, so named references, logical types that
 * fall back to their underlying type and the exact-long hook are resolved
 * exactly as avsc resolved them. Values come out as value_adapter.ts makes
 * them of avsc's: plain objects, fresh Uint8Arrays, unions unwrapped.
 */
import { exactLong } from "../exact_long.ts";
import type { AvscType } from "../avsc_type.ts";
import { type SchemaShape, zeroByte } from "../bounded_blocks.ts";

/** The generated source and the values it refers to as `X[i]`. */
export interface ReaderSource {
  /** Body of `new Function("C", "K", "X", body)`, returning the root reader. */
  readonly body: string;
  readonly constants: unknown[];
}

/** Thrown inside generation for a type the compiled reader leaves to avsc. */
class Unsupported extends Error {}

const primitives: Record<string, string> = {
  null: "null",
  boolean: "rb()",
  int: "ri()",
  long: "rl()",
  float: "rf()",
  double: "rd()",
  bytes: "rby()",
  string: "rs()",
};

/** Source for reading `root`, or undefined where a type is not supported. */
export function generateReader(root: AvscType): ReaderSource | undefined {
  const functions: string[] = [];
  const constants: unknown[] = [];
  const names = new Map<AvscType, string>();

  const constant = (value: unknown): string => `X[${constants.push(value) - 1}]`;

  // A named function for `type`, memoised: recursive records call themselves by name.
  const fn = (type: AvscType, prefix: string, body: (name: string) => string): string => {
    let name = names.get(type);
    if (!name) {
      name = `${prefix}${names.size}`;
      names.set(type, name);
      functions.push(body(name));
    }
    return `${name}()`;
  };

  const expr = (type: AvscType): string => {
    const typeName = type.typeName;
    const primitive = primitives[typeName];
    if (primitive) return primitive;
    if (type === (exactLong as unknown)) return "rbl()";
    if (typeName === "fixed") return `rfx(${type.size})`;
    if (typeName === "record" || typeName === "error") return fn(type, "r", (n) => record(n, type));
    if (typeName === "enum") return fn(type, "e", (n) => enumeration(n, type));
    if (typeName === "array") return fn(type, "a", (n) => array(n, type));
    if (typeName === "map") return fn(type, "m", (n) => map(n, type));
    if (typeName === "union:wrapped" || typeName === "union:unwrapped") {
      return fn(type, "u", (n) => union(n, type));
    }
    if (typeName.startsWith("logical:") && typeof type._fromValue === "function") {
      // The logical type's own conversion (timestamps to Dates, decimal.ts for decimals).
      const convert = constant((value: unknown) => type._fromValue!(value));
      return `${convert}(${expr(type.underlyingType!)})`;
    }
    throw new Unsupported(typeName);
  };

  const record = (name: string, type: AvscType): string => {
    const fields = type.fields!.map((field) => {
      // In a literal, a `__proto__` key sets the prototype instead of a field.
      if (field.name === "__proto__") throw new Unsupported("a field named __proto__");
      return `${JSON.stringify(field.name)}: ${expr(field.type)}`;
    });
    return `function ${name}() {\n  return {\n    ${fields.join(",\n    ")}\n  };\n}`;
  };

  const enumeration = (name: string, type: AvscType): string => {
    const symbols = constant(type.symbols);
    const label = constant(type.name ?? "enum");
    return `function ${name}() {
  const i = ri();
  const symbol = ${symbols}[i];
  if (symbol === undefined) throw K.badEnum(${label}, i);
  return symbol;
}`;
  };

  const array = (name: string, type: AvscType): string => {
    const empty = zeroByte(type.itemsType! as unknown as SchemaShape);
    return `function ${name}() {
  let out;
  let i = 0;
  for (let n = rbc(); n !== 0; n = rbc()) {
    K.checkItems(n, ${empty}, i);
    out ??= new Array(n); // sized by the first block, as avsc does
    while (n-- > 0) out[i++] = ${expr(type.itemsType!)};
  }
  return out ?? [];
}`;
  };

  const map = (name: string, type: AvscType): string =>
    `function ${name}() {
  const out = {};
  for (let n = rbc(); n !== 0; n = rbc()) {
    K.checkEntries(n);
    while (n-- > 0) {
      const key = rs();
      const value = ${expr(type.valuesType!)};
      // Assigned, a "__proto__" key would set the map's prototype (avsc's does): an own key instead.
      if (key === "__proto__") K.ownKey(out, key, value);
      else out[key] = value;
    }
  }
  return out;
}`;

  const union = (name: string, type: AvscType): string => {
    const branches = type.types!.map((branch, i) => `    case ${i}: return ${expr(branch)};`);
    return `function ${name}() {
  const i = ri();
  switch (i) {
${branches.join("\n")}
    default: throw K.badUnion(i, ${branches.length});
  }
}`;
  };

  let rootExpr: string;
  try {
    rootExpr = expr(root);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const body = `"use strict";
const { readInt: ri, readLong: rl, readBigLong: rbl, readBoolean: rb, readFloat: rf,
  readDouble: rd, readBytes: rby, readFixed: rfx, readString: rs, readBlockCount: rbc } = C;
${functions.join("\n")}
return function root() { return ${rootExpr}; };`;
  return { body, constants };
}
