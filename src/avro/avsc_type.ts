/**
 * avsc's Type classes as this library reads them at run time: the members
 * its typings do not list (field lists, item and branch types, logical
 * conversions), in one place for the value adapter and the compiled reader
 * and writer.
 */

/** A field of an avsc record type. */
export interface AvscField {
  readonly name: string;
  readonly type: AvscType;
  defaultValue(): unknown;
}

/** An avsc type: what is read of it depends on `typeName`. */
export interface AvscType {
  readonly typeName: string;
  readonly name?: string;
  readonly branchName?: string;
  readonly fields?: readonly AvscField[];
  readonly itemsType?: AvscType;
  readonly valuesType?: AvscType;
  readonly types?: readonly AvscType[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: AvscType;
  /** A logical type's model value from its underlying value. */
  _fromValue?(value: unknown): unknown;
  /** A logical type's underlying value from a model value. */
  _toValue?(value: unknown): unknown;
  _check(value: unknown): boolean;
  isValid(value: unknown): boolean;
  toBuffer(value: unknown): Uint8Array;
}
