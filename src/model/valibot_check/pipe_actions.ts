/**
 * A pipe: its schema, then each action. Validations only add issues, so
 * they run as they are (the common ones inlined); a transformation changes
 * the value, so a pipe with one is left to Valibot.
 */
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";
import { type CheckContext, type CompiledCheck, Unsupported } from "./check.ts";
import { compileNode, type SchemaNode } from "./compile_node.ts";
import { isSource } from "./scalars.ts";

type Check = (value: unknown) => boolean;

// Transformations that hand the value on unchanged (they only change its type).
const IDENTITIES = new Set(["brand", "flavor", "readonly"]);

/** The check of `v.pipe(schema, ...items)`. */
export function pipeCheck(items: readonly SchemaNode[], context: CheckContext): CompiledCheck {
  const [schema, ...actions] = items;
  const base = compileNode(schema as unknown as AnySchema, context);
  let exact = base.exact;
  const checks: Check[] = [base.check];
  const inlines = [base.inline];
  for (const action of actions) {
    if (action.async) throw new Unsupported(`async v.${action.type}()`);
    if (action.kind === "metadata") continue;
    if (action.kind === "transformation") {
      if (IDENTITIES.has(action.type)) continue;
      throw new Unsupported(`v.${action.type}()`);
    }
    if (action.kind === "schema") {
      const nested = compileNode(action as unknown as AnySchema, context);
      exact &&= nested.exact;
      checks.push(nested.check);
      inlines.push(nested.inline);
      continue;
    }
    checks.push(validation(action, context));
    inlines.push(inlineValidation(action));
  }
  const inline = inlines.every((test) => test !== undefined)
    ? (e: string) => `(${inlines.map((test) => test!(e)).join(" && ")})`
    : undefined;
  return { check: all(checks), exact, inline };
}

/** The frequent validations as expressions, when their requirement is a plain number. */
function inlineValidation(action: SchemaNode): ((e: string) => string) | undefined {
  if (action.type === "integer") return (e) => `Number.isInteger(${e})`;
  const requirement = action.requirement;
  if (typeof requirement !== "number" || !isSource(requirement)) return undefined;
  const n = JSON.stringify(requirement);
  switch (action.type) {
    case "min_value":
      return (e) => `${e} >= ${n}`;
    case "max_value":
      return (e) => `${e} <= ${n}`;
    case "min_length":
      return (e) => `${e}.length >= ${n}`;
    case "max_length":
      return (e) => `${e}.length <= ${n}`;
    case "length":
      return (e) => `${e}.length === ${n}`;
  }
  return undefined;
}

interface Dataset {
  typed: boolean;
  value: unknown;
  issues?: unknown[];
}

type Run = (dataset: Dataset, config: CheckContext["config"]) => Dataset;

/** A validation action as a predicate: the frequent ones written out, the rest run as Valibot runs them. */
function validation(action: SchemaNode, context: CheckContext): Check {
  const requirement = action.requirement as number;
  switch (action.type) {
    case "integer":
      return (value) => Number.isInteger(value);
    case "min_value":
      return (value) => (value as number) >= requirement;
    case "max_value":
      return (value) => (value as number) <= requirement;
    case "min_length":
      return (value) => (value as { length: number }).length >= requirement;
    case "max_length":
      return (value) => (value as { length: number }).length <= requirement;
    case "length":
      return (value) => (value as { length: number }).length === requirement;
  }
  const run = (action["~run"] as Run).bind(action);
  const config = context.config;
  return (value) => run({ typed: true, value }, config).issues === undefined;
}

function all(checks: readonly Check[]): Check {
  if (checks.length === 1) return checks[0];
  if (checks.length === 2) {
    const [a, b] = checks;
    return (value) => a(value) && b(value);
  }
  if (checks.length === 3) {
    const [a, b, c] = checks;
    return (value) => a(value) && b(value) && c(value);
  }
  return (value) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i](value)) return false;
    return true;
  };
}
