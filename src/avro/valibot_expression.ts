/**
 * A Valibot schema described as data: a call of a `v.*` function with
 * arguments. The Avro -> Valibot mapping produces these once; one back end
 * turns them into a live schema, the other into TypeScript source, so the
 * mapping is written in one place only.
 */

/** One argument of a Valibot call. */
export type Argument =
  | { readonly call: Call }
  | { readonly value: unknown }
  | { readonly entries: Readonly<Record<string, Argument>> }
  | { readonly list: readonly Argument[] }
  | { readonly lazy: string };

/** A call of `v.<fn>(...args)`. */
export interface Call {
  readonly fn: string;
  readonly args: readonly Argument[];
  /** Set on named Avro records: lazy references find the schema by it. */
  readonly name?: string;
  /** The record refers to itself, so its source needs a type annotation. */
  recursive?: boolean;
}

/** Builds `v.<fn>(...args)`; plain values become value arguments. */
export function call(fn: string, ...args: (Call | Argument | unknown)[]): Call {
  return { fn, args: args.map(toArgument) };
}

function toArgument(arg: unknown): Argument {
  if (isCall(arg)) return { call: arg };
  if (isArgument(arg)) return arg;
  return { value: arg };
}

function isCall(arg: unknown): arg is Call {
  return typeof arg === "object" && arg !== null && "fn" in arg && "args" in arg;
}

function isArgument(arg: unknown): arg is Argument {
  if (typeof arg !== "object" || arg === null) return false;
  const keys = Object.keys(arg);
  return keys.length === 1 && ["call", "value", "entries", "list", "lazy"].includes(keys[0]);
}

/** Object entries of nested calls, as `v.object` takes them. */
export function entries(fields: Record<string, Call>): Argument {
  return { entries: Object.fromEntries(Object.entries(fields).map(([k, c]) => [k, { call: c }])) };
}

/** A list of nested calls, as `v.union` takes them. */
export function list(items: readonly Call[]): Argument {
  return { list: items.map((item) => ({ call: item })) };
}

// deno-lint-ignore no-explicit-any
type ValibotNamespace = Record<string, (...args: any[]) => unknown>;

/** Evaluates the call against the Valibot module; `named` resolves lazy references. */
export function evaluate(
  expression: Call,
  v: ValibotNamespace,
  named: Map<string, unknown>,
): unknown {
  const arg = (a: Argument): unknown => {
    if ("call" in a) return evaluate(a.call, v, named);
    if ("value" in a) return a.value;
    if ("entries" in a) {
      return Object.fromEntries(Object.entries(a.entries).map(([k, e]) => [k, arg(e)]));
    }
    if ("list" in a) return a.list.map(arg);
    const name = a.lazy;
    return () => named.get(name);
  };
  // A named record referred to again is the same schema, as in the Avro it came from.
  if (expression.name && named.has(expression.name)) return named.get(expression.name);
  const schema = v[expression.fn](...expression.args.map(arg));
  if (expression.name) named.set(expression.name, schema);
  return schema;
}

/**
 * Writes the call as TypeScript source using the namespace `v`. Named records
 * are hoisted into `consts` (in dependency order) and referred to by name.
 */
export function render(expression: Call, consts: Map<string, string>, indent = ""): string {
  if (expression.name) {
    const constName = `${expression.name}Schema`;
    if (!consts.has(constName)) {
      consts.set(constName, ""); // reserve the slot, so recursion refers instead of re-entering
      const body = renderCall({ ...expression, name: undefined }, consts, "");
      const type = expression.recursive ? ": v.GenericSchema" : "";
      consts.delete(constName);
      consts.set(constName, `const ${constName}${type} = ${body};`);
    }
    return constName;
  }
  return renderCall(expression, consts, indent);
}

function renderCall(expression: Call, consts: Map<string, string>, indent: string): string {
  const arg = (a: Argument, depth: string): string => {
    if ("call" in a) return render(a.call, consts, depth);
    if ("value" in a) return renderValue(a.value);
    if ("entries" in a) {
      const inner = `${depth}  `;
      const lines = Object.entries(a.entries).map(([k, e]) =>
        `${inner}${JSON.stringify(k)}: ${arg(e, inner)},`
      );
      return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${depth}}`;
    }
    if ("list" in a) return `[${a.list.map((item) => arg(item, depth)).join(", ")}]`;
    return `(): v.GenericSchema => ${a.lazy}Schema`;
  };
  return `v.${expression.fn}(${expression.args.map((a) => arg(a, indent)).join(", ")})`;
}

function renderValue(value: unknown): string {
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  if (value instanceof Uint8Array) return `new Uint8Array([${[...value].join(", ")}])`;
  if (typeof value === "function") return value.name; // only constructors, e.g. Uint8Array
  if (typeof value === "bigint") return `${value}n`;
  return JSON.stringify(value);
}
