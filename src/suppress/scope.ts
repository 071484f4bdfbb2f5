/**
 * Producer suppression (django-kafka's `producer.suppress`): code run inside
 * `suppress(fn)` produces nothing, for every topic or the listed ones, and
 * `unsuppress(fn)` lifts it again inside. Scopes nest as a stack and follow
 * async work through AsyncLocalStorage (Deno, Bun and Node all ship
 * `node:async_hooks`), so concurrent requests never see each other's scope.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ConfigError } from "../errors.ts";

/** One level of the stack: suppress or lift, for some topics or (null) all. */
interface Rule {
  readonly suppressed: boolean;
  readonly topics: ReadonlySet<string> | null;
}

const scopes = new AsyncLocalStorage<readonly Rule[]>();

function enter<R>(suppressed: boolean, args: readonly unknown[], what: string): R {
  const [first, second] = args;
  const fn = (typeof first === "function" ? first : second) as (() => R) | undefined;
  const topics = typeof first === "function" ? null : first;
  if (typeof fn !== "function") {
    throw new ConfigError(`${what}() needs a function to run: ${what}(fn) or ${what}(topics, fn)`);
  }
  if (topics !== null && (!Array.isArray(topics) || topics.some((t) => typeof t !== "string"))) {
    throw new ConfigError(`${what}(topics, fn): topics must be an array of topic names`);
  }
  const rule: Rule = { suppressed, topics: topics === null ? null : new Set(topics as string[]) };
  return scopes.run([...(scopes.getStore() ?? []), rule], fn);
}

/**
 * Runs `fn` with producing suppressed: for every topic, or only the listed
 * ones. A suppressed `produce`, `produceMany`, `send` or `tombstone` sends
 * nothing and resolves with reports marked `suppressed: true`. The scope
 * follows `fn`'s async work and ends with it; it nests with `unsuppress`.
 *
 * @example
 * ```ts
 * import { suppress } from "@flowodm/flowodm";
 * await suppress(["orders"], async () => {
 *   const report = await Order.produce(order); // report.suppressed === true
 * });
 * ```
 */
export function suppress<R>(fn: () => R): R;
/** Runs `fn` with producing to `topics` suppressed. */
export function suppress<R>(topics: readonly string[], fn: () => R): R;
export function suppress<R>(...args: unknown[]): R {
  return enter(true, args, "suppress");
}

/**
 * Runs `fn` with suppression lifted, for every topic or only the listed ones,
 * inside an enclosing `suppress` scope.
 *
 * @example
 * ```ts
 * import { suppress, unsuppress } from "@flowodm/flowodm";
 * await suppress(async () => {
 *   await unsuppress(["audit"], () => Audit.produce(entry)); // sent
 * });
 * ```
 */
export function unsuppress<R>(fn: () => R): R;
/** Runs `fn` with suppression of `topics` lifted. */
export function unsuppress<R>(topics: readonly string[], fn: () => R): R;
export function unsuppress<R>(...args: unknown[]): R {
  return enter(false, args, "unsuppress");
}

/**
 * Whether producing to `topic` is suppressed here: the innermost scope that
 * names the topic (or names none, meaning all) decides.
 *
 * @example
 * ```ts
 * import { isSuppressed, suppress } from "@flowodm/flowodm";
 * suppress(["orders"], () => isSuppressed("orders")); // true
 * ```
 */
export function isSuppressed(topic: string): boolean {
  const stack = scopes.getStore();
  if (!stack) return false;
  for (let i = stack.length - 1; i >= 0; i--) {
    const rule = stack[i];
    if (rule.topics === null || rule.topics.has(topic)) return rule.suppressed;
  }
  return false;
}

/** Runs `fn` suppressed as a loop's `suppressProducers` option says: all topics, some, or none. */
export function suppressedBy<R>(option: true | readonly string[] | undefined, fn: () => R): R {
  if (option === undefined) return fn();
  return option === true ? suppress(fn) : suppress(option, fn);
}
