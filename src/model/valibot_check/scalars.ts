/** Checks of the schemas that hold one value: the same tests Valibot's `~run` makes. */
import { type CompiledCheck, Unsupported } from "./check.ts";
import type { SchemaNode } from "./compile_node.ts";

const exact = (check: (value: unknown) => boolean): CompiledCheck => ({ check, exact: true });

const isString = exact((value) => typeof value === "string");
// Valibot refuses NaN as a number, and an invalid Date.
const isNumber = exact((value) => typeof value === "number" && value === value);
const isBigint = exact((value) => typeof value === "bigint");
const isBoolean = exact((value) => typeof value === "boolean");
const isNull = exact((value) => value === null);
const isUndefined = exact((value) => value === undefined);
const isAnything = exact(() => true);
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
  return exact((value) => options.includes(value));
}

function sameValueZero(literal: unknown): CompiledCheck {
  // deno-lint-ignore no-self-compare -- NaN is the one value not equal to itself
  if (literal !== literal) return exact((value) => value !== value);
  return exact((value) => value === literal);
}
