/** Avro types of Valibot's scalar schemas: strings, numbers, bigints, dates, bytes. */
import { SchemaError } from "../../errors.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import { action, requirement } from "./pipe.ts";
import type { Convertible } from "./schema_types.ts";
import { exactLong } from "./exact_long_marks.ts";

type Of<T extends Convertible["type"]> = Extract<Convertible, { readonly type: T }>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `string`, or a uuid string with `v.uuid()`. */
export function stringType(schema: Of<"string">): AvroSchema {
  return action(schema, "uuid") ? { type: "string", logicalType: "uuid" } : "string";
}

/** `double`; an integer is `int` when its bounds fit 32 bits, `long` otherwise. */
export function numberType(schema: Of<"number">): AvroSchema {
  if (!action(schema, "integer") && !action(schema, "safe_integer")) return "double";
  const min = requirement(schema, "min_value");
  const max = requirement(schema, "max_value");
  const fits = typeof min === "number" && typeof max === "number" && min >= INT32_MIN &&
    max <= INT32_MAX;
  return fits ? "int" : "long";
}

/** A long held as an exact bigint. */
export function bigintType(): AvroSchema {
  return exactLong();
}

/** Milliseconds since the epoch. */
export function dateType(): AvroSchema {
  return { type: "long", logicalType: "timestamp-millis" };
}

/** `bytes` for `v.instance(Uint8Array)`; other classes have no Avro type. */
export function instanceType(schema: Of<"instance">, path: string): AvroSchema {
  if (schema.class === Uint8Array) return "bytes";
  throw new SchemaError("only v.instance(Uint8Array) has an Avro type (bytes)", { path });
}
