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
export interface AvscField {
  readonly name: string;
  readonly type: AvscType;
  defaultValue(): unknown;
}

/** The avsc type members the compiler reads. */
export interface AvscType {
  readonly typeName: string;
  readonly branchName?: string;
  readonly fields?: readonly AvscField[];
  readonly itemsType?: AvscType;
  readonly valuesType?: AvscType;
  readonly types?: readonly AvscType[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: AvscType;
  _toValue?(value: unknown): unknown;
  _check(value: unknown): boolean;
  isValid(value: unknown): boolean;
  toBuffer(value: unknown): Uint8Array;
}

/** Throws for a value the schema cannot hold; the serde then asks avsc why. */
export function invalid(value: unknown, what: string): never {
  throw new TypeError(`invalid ${what}: ${typeof value}`);
}
