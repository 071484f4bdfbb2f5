/**
 * Type-level assertions checked by `deno check` (part of `deno task check`):
 * `expectType<Equal<A, B>>()` does not compile unless A and B are the same
 * type. No dependency: the Equal trick compares how each type is assigned.
 */

/** `true` when A and B are identical types (not merely assignable), else `false`. */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2)
  ? true
  : false;

/** Compiles only for `true`: `expectType<Equal<A, B>>()`. */
export function expectType<T extends true>(..._proof: T extends true ? [] : [never]): void {}

/** `true` when a value of type V may be passed where P is expected. */
export type Accepts<P, V> = [V] extends [P] ? true : false;

/** The message type a model's `consume()` yields. */
export type Consumed<M extends { consume(...args: never[]): unknown }> =
  ReturnType<M["consume"]> extends AsyncIterable<infer X> ? X : never;
