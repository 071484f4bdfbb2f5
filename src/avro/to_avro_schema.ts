/**
 * Valibot -> Avro: turns a model's Valibot schema into the Avro record schema
 * registered for it, in one pass over the schema by the typed converters of
 * `valibot_to_avro/` (one per kind of Valibot schema).
 *
 * @module
 */
import { SchemaError } from "../errors.ts";
import { rootContext } from "./valibot_to_avro/context.ts";
import { convert } from "./valibot_to_avro/convert.ts";
import type { Convertible } from "./valibot_to_avro/schema_types.ts";
import { withoutExactLongs } from "./valibot_to_avro/exact_long_marks.ts";

/** An Avro schema as plain JSON (what the registry stores). */
export type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

/**
 * Avro overrides a field carries in Valibot metadata:
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * const createdAt = v.pipe(v.date(), v.metadata({ avro: { logicalType: "timestamp-micros" } }));
 * ```
 *
 * `v.metadata({ avro: { ... } })`. Keys merge over the generated schema of
 * that field, so they win. Common forms:
 *
 * - `{ logicalType: "timestamp-micros" }` (also `date`, `time-millis`) on a `v.date()`
 * - `{ logicalType: "decimal", precision: 10, scale: 2 }` on a `v.string()`: `bytes` by default
 *   (`type: "fixed", size` for a fixed); values are decimal strings such as `"12.34"`
 * - `{ name: "Money" }` names a nested record (`namespace: "fin"` puts it in another namespace),
 *   `{ type: "fixed", size: 16 }` replaces the type
 */
export interface AvroMetadata {
  /** Avro logical type, e.g. `timestamp-micros`, `date`, `decimal`. */
  readonly logicalType?: string;
  /** Total digits of a decimal. */
  readonly precision?: number;
  /** Digits after the point of a decimal. */
  readonly scale?: number;
  /** Name of the generated record or enum. */
  readonly name?: string;
  /** Namespace of a nested record, enum or fixed, when not its enclosing record's. */
  readonly namespace?: string;
  /** Any other Avro attribute, merged as given. */
  readonly [key: string]: unknown;
}

/** Options of {@link toAvroSchema}. */
export interface ToAvroSchemaOptions {
  /** Name of the top-level record. */
  readonly name: string;
  /** Avro namespace of the top-level record and its nested records. */
  readonly namespace?: string;
}

/**
 * Generates the Avro record schema of an object Valibot schema. Field order
 * follows the object's key order; nested objects become named records reused
 * by name when they appear again. Input with no Avro type throws a
 * {@link SchemaError} naming the field path.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { toAvroSchema } from "@flowodm/flowodm";
 * const schema = v.object({
 *   id: v.pipe(v.string(), v.uuid()),
 *   at: v.pipe(v.date(), v.metadata({ avro: { logicalType: "timestamp-micros" } })),
 *   price: v.pipe(v.string(), v.metadata({ avro: { logicalType: "decimal", precision: 10, scale: 2 } })),
 * });
 * console.log(JSON.stringify(toAvroSchema(schema, { name: "Order", namespace: "shop" })));
 * ```
 */
export function toAvroSchema(schema: unknown, options: ToAvroSchemaOptions): AvroSchema {
  return avroRecordOf(schema, options).schema;
}

/** A model record's schemas: the registered one, the compiled one, and how decoded values are put back in shape. */
export interface AvroRecord {
  /** The schema registered for it. */
  readonly schema: AvroSchema;
  /** The same schema as compiled locally: `v.bigint()` longs marked exact (never registered). */
  readonly compiled: AvroSchema;
  /** Turns Avro's nulls of `v.optional` fields back into absent keys, in place; undefined when none. */
  readonly normalizeDecoded?: (value: unknown) => void;
}

/** The {@link AvroRecord} of a Valibot object schema: one conversion, the registered schema read off it. */
export function avroRecordOf(schema: unknown, options: ToAvroSchemaOptions): AvroRecord {
  const root = schema as Convertible | null | undefined;
  const type = root?.type;
  if (type !== "object" && type !== "strict_object" && type !== "loose_object") {
    throw new SchemaError(`a model schema must be a v.object(), got ${type ?? typeof schema}`);
  }
  const context = rootContext(options.namespace);
  const compiled = convert(root!, options.name, "", context);
  return {
    schema: withoutExactLongs(compiled),
    compiled,
    normalizeDecoded: context.normalizers.get(root!),
  };
}
