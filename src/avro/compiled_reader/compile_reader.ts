/**
 * A compiled reader of one Avro schema: reads a body written with that very
 * schema straight into the values a model holds, in one pass. It returns what
 * avsc's `fromBuffer` followed by value_adapter.ts's `fromAvro` returns (plain
 * objects, fresh Uint8Arrays, unions unwrapped, logical types converted)
 * without avsc's Record instances and Buffers in between. Resolution from
 * another writer's schema stays with avsc. One difference, on purpose: a map
 * key "__proto__" is an own key of the map, where avsc's assignment sets the
 * map's prototype; values read here are fresh plain objects, always.
 */
import type avro from "avsc";
import { compileAvro } from "../logical_types.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import { checkEntries, checkItems } from "./blocks.ts";
import * as cursor from "./cursor.ts";
import type { AvscType } from "../avsc_type.ts";
import { generateReader } from "./generate.ts";

/** Reads one Avro body in `bytes[start, end)`; throws an Error on a malformed body. */
export type CompiledReader = (bytes: Uint8Array, start: number, end: number) => unknown;

// The checks generated code calls, by the name `K`.
const checks = {
  checkItems,
  checkEntries,
  badEnum: (name: string, index: number) => new Error(`invalid ${name} enum index: ${index}`),
  ownKey: (map: object, key: string, value: unknown) =>
    Object.defineProperty(map, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    }),
  badUnion: (index: number, branches: number) =>
    new Error(`invalid union index: ${index} (the union has ${branches} branches)`),
};

/**
 * The compiled reader of `schema` as models compile it (compileAvro), or
 * undefined when the schema holds a type it does not support (the caller then
 * reads with avsc).
 */
export function compileReader(schema: AvroSchema): CompiledReader | undefined {
  return compileReaderOf(compileAvro(schema));
}

/** The compiled reader of an avsc type made by compileAvro; undefined where unsupported. */
export function compileReaderOf(type: avro.Type): CompiledReader | undefined {
  if (!cursor.littleEndian) return undefined;
  const source = generateReader(type as unknown as AvscType);
  if (!source) return undefined;
  const root = new Function("C", "K", "X", source.body)(
    cursor,
    checks,
    source.constants,
  ) as () => unknown;
  return (bytes, start, end) => {
    cursor.begin(bytes, start, end);
    try {
      const value = root();
      cursor.finish();
      return value;
    } finally {
      cursor.release();
    }
  };
}
