/**
 * The shapes the compiled writer works with: a writer of one Avro type, and
 * the members of avsc's type objects it reads (avsc's typings list few).
 */

/**
 * Writes `value` at `target[pos..]` and returns the position after it. Writes
 * past the end of `target` are dropped (typed arrays ignore them) but still
 * counted, so a position beyond `target.length` says how many bytes were
 * missing. A value the type cannot hold throws.
 */
export type Write = (target: Uint8Array, pos: number, value: unknown) => number;

/** The avsc field members the compiler reads. */
export type { AvscField, AvscType } from "../avsc_type.ts";

/** Throws for a value the schema cannot hold; the serde then asks avsc why. */
export function invalid(value: unknown, what: string): never {
  throw new TypeError(`invalid ${what}: ${typeof value}`);
}
