/**
 * Validation without copying: a model's Valibot schema compiled into a
 * predicate that says whether Valibot would accept a value AND hand back an
 * equal one. Valibot's `safeParse` builds a copy of every object it checks,
 * which made validation the larger half of encoding and decoding; on the
 * write and read paths the value itself can be used when nothing would
 * change it. `false` never means "invalid", only "ask Valibot": defaults,
 * fallbacks and anything this does not model are left to `safeParse`, which
 * also words the issues.
 */
import * as v from "valibot";
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";
import { compileNode } from "./compile_node.ts";

/** True when Valibot accepts the value with an output equal to it (on the schema's own keys). */
export type Check = (value: unknown) => boolean;

/**
 * One compiled schema. `exact` also promises the converse: when `check` says
 * false, Valibot refuses the value. Union options must be exact for a later
 * option's `true` to be trusted, since Valibot takes the first that succeeds.
 */
export interface CompiledCheck {
  readonly check: Check;
  readonly exact: boolean;
  /**
   * The same test as a JavaScript expression over the variable `name`, for
   * the code generated for objects and arrays (a call per field, and keyed
   * reads, cost more than the tests themselves); absent when there is none.
   */
  readonly inline?: (name: string) => string;
}

/** A schema kind this module does not model; the whole schema is then left to Valibot. */
export class Unsupported extends Error {}

/** What compiling one schema needs: Valibot's config for the actions it runs, and a cache. */
export interface CheckContext {
  readonly config: v.Config<v.BaseIssue<unknown>>;
  readonly compiled: WeakMap<object, CompiledCheck>;
  /** Whether objects and arrays get generated code (else closures: the same tests). */
  readonly generate: boolean;
}

/**
 * The no-copy check of `schema`, or undefined when some part of it (a
 * transformation, an async schema, a kind without a model here) needs
 * Valibot itself.
 *
 * @example
 * ```ts ignore
 * const check = compileCheck(v.object({ id: v.string() }));
 * const output = check?.({ id: "a" }) ? input : v.parse(schema, input);
 * ```
 */
export function compileCheck(schema: unknown, { generate = true } = {}): Check | undefined {
  const context: CheckContext = { config: v.getGlobalConfig(), compiled: new WeakMap(), generate };
  try {
    return compileNode(schema as AnySchema, context).check;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
