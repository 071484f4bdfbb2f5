/** The state of one conversion: the namespace in scope and the names given so far. */
import { SchemaError } from "../../errors.ts";

/** A named type already written: later uses are references by name. */
export interface Named {
  readonly name: string;
  readonly namespace?: string;
}

/** Puts a decoded value back in the model's shape, in place (see absent_nulls.ts). */
export type Normalize = (value: unknown) => void;

/** Carried down the conversion; the maps and the set are shared by the whole schema. */
export interface Context {
  readonly namespace?: string;
  /** Records by their Valibot schema object: a schema met again is a reference. */
  readonly named: Map<object, Named>;
  /** Full names taken, so that two different records never share one. */
  readonly names: Set<string>;
  /**
   * The decode normaliser of each schema converted so far (absent when it
   * needs none): built in the same pass, each from its children's.
   */
  readonly normalizers: Map<object, Normalize>;
}

/** The fresh context of a top-level record. */
export function rootContext(namespace: string | undefined): Context {
  return { namespace, named: new Map(), names: new Set(), normalizers: new Map() };
}

/** An Avro name: letters, digits and underscores, not starting with a digit. */
export const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `name`, or `name2`, `name3`, ... when its full name is taken; a SchemaError when not an Avro name. */
export function uniqueName(name: string, path: string, context: Context, namespace?: string) {
  if (!AVRO_NAME.test(name)) throw new SchemaError(`"${name}" is not a valid Avro name`, { path });
  // Names are unique per namespace: Debezium's Value records of two tables may meet.
  const full = (short: string) => namespace ? `${namespace}.${short}` : short;
  let candidate = name;
  for (let i = 2; context.names.has(full(candidate)); i++) candidate = `${name}${i}`;
  context.names.add(full(candidate));
  return candidate;
}

/** `namespace.name`, or the name alone. */
export function fullName(named: Named): string {
  return named.namespace ? `${named.namespace}.${named.name}` : named.name;
}

/** A record's default name: its field's, capitalised (array indexes skipped). */
export function recordName(path: string): string {
  const last = path.split(".").filter((part) => !/^\d+$/.test(part)).at(-1) ?? "Record";
  const name = last.replace(/[^A-Za-z0-9_]/g, "_");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** An enum's default name: its whole path, capitalised. */
export function enumName(path: string): string {
  return path.split(".").map(recordName).join("") || "Enum";
}
