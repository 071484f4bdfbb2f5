/** Checks of the schemas that hold one value: the same tests Valibot's `~run` makes. */
import { type CompiledCheck, Unsupported } from "./check.ts";
import type { SchemaNode } from "./compile_node.ts";

const exact = (
  check: (value: unknown) => boolean,
  inline?: (name: string) => string,
): CompiledCheck => ({ check, exact: true, inline });

const isString = exact((value) => typeof value === "string", (e) => `typeof ${e} === "string"`);
// Valibot refuses NaN as a number, and an invalid Date.
const isNumber = exact(
  (value) => typeof value === "number" && value === value,
  (e) => `(typeof ${e} === "number" && ${e} === ${e})`,
);
const isBigint = exact((value) => typeof value === "bigint", (e) => `typeof ${e} === "bigint"`);
const isBoolean = exact((value) => typeof value === "boolean", (e) => `typeof ${e} === "boolean"`);
const isNull = exact((value) => value === null, (e) => `${e} === null`);
const isUndefined = exact((value) => value === undefined, (e) => `${e} === undefined`);
const isAnything = exact(() => true, () => "true");
const isDate = exact((value) => value instanceof Date && !Number.isNaN(value.getTime()));

/** The check of a string, number, date, picklist, literal, ... schema; Unsupported for others. */
export function scalarCheck(node: SchemaNode): CompiledCheck {
  switch (node.type) {
    case "string":
      return isString;
    case "number":
      return isNumber;
    case "bigint":
      return isBigint;
    case "boolean":
      return isBoolean;
    case "null":
      return isNull;
    case "undefined":
      return isUndefined;
    case "any":
    case "unknown":
      return isAnything;
    case "date":
      return isDate;
    case "picklist":
    case "enum":
      return oneOf(node.options as readonly unknown[]);
    case "literal":
      return sameValueZero(node.literal);
    case "instance": {
      const type = node.class as abstract new (...args: never[]) => unknown;
      return exact((value) => value instanceof type);
    }
    default:
      throw new Unsupported(`v.${node.type}()`);
  }
}

// `includes` and `Set#has` both compare by SameValueZero, as Valibot does.
function oneOf(options: readonly unknown[]): CompiledCheck {
  if (options.length > 8) {
    const set = new Set(options);
    return exact((value) => set.has(value));
  }
  const inline = options.every(isSource)
    ? (e: string) =>
      `(${options.map((o) => `${e} === ${JSON.stringify(o)}`).join(" || ") || "false"})`
    : undefined;
  return exact((value) => options.includes(value), inline);
}

function sameValueZero(literal: unknown): CompiledCheck {
  // deno-lint-ignore no-self-compare -- NaN is the one value not equal to itself
  if (literal !== literal) return exact((value) => value !== value);
  const inline = isSource(literal)
    ? (e: string) => `${e} === ${JSON.stringify(literal)}`
    : undefined;
  return exact((value) => value === literal, inline);
}

/** A value JSON writes as the same JavaScript literal (so `===` against it is the same test). */
export function isSource(value: unknown): boolean {
  return typeof value === "string" || typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0));
}
