/**
 * A writer of one schema's Avro bodies straight from model values, built
 * from the avsc type the model compiles (so named types, defaults, the union
 * kinds and logical types are avsc's own). It writes the same bytes as avsc
 * fed with {@link valueAdapter}'s conversion, without the conversion's copies,
 * avsc's per-call Tap or its separate UTF-8 length pass. A value it cannot
 * write throws; callers then let avsc write (or explain) it.
 *
 * @module
 */
import type avro from "avsc";
import { compileAvro } from "../logical_types.ts";
import { exactLong } from "../exact_long.ts";
import type { AvroSchema } from "../to_avro_schema.ts";
import { valueAdapter } from "../value_adapter.ts";
import type { AvscType, Write } from "./writer_types.ts";
import { writeExactLong, writeInt, writeLong } from "./varint.ts";
import {
  enumWriter,
  fixedWriter,
  littleEndian,
  writeBoolean,
  writeBytes,
  writeDouble,
  writeFloat,
  writeNull,
} from "./scalars.ts";
import { writeString } from "./strings.ts";
import { arrayWriter, mapWriter } from "./containers.ts";
import { defaultBytesOf, recordWriter } from "./record_writer.ts";
import { nullableWriter, unwrappedWriter, wrappedWriter } from "./union_writer.ts";

/**
 * Writes the Avro body of a model value at `target[start..]` and returns the
 * end offset, or a negative number (minus the bytes missing) when `target` is
 * too small, like avsc's `type.encode(value, buf, pos)`. Throws for a value
 * the schema cannot hold.
 */
export type CompiledWriter = (value: unknown, target: Uint8Array, start: number) => number;

const primitives: Record<string, Write> = {
  null: writeNull,
  boolean: writeBoolean,
  int: writeInt,
  long: writeLong,
  float: writeFloat,
  double: writeDouble,
  bytes: writeBytes,
  string: writeString,
};

class Unsupported extends Error {}

/**
 * The writer of `schema` (a model's compiled schema), or undefined when it
 * uses something this writer does not cover (avsc then keeps writing it).
 * `type` is the avsc type the model compiled from it, when at hand.
 */
export function compileWriter(
  schema: AvroSchema,
  type: avro.Type = compileAvro(schema),
): CompiledWriter | undefined {
  if (!littleEndian) return undefined;
  let root: Write;
  try {
    root = new Compiler().writer(type as unknown as AvscType);
  } catch {
    // Unsupported types, or a runtime that forbids generated code: avsc keeps writing.
    return undefined;
  }
  return (value, target, start) => {
    const end = root(target, start, value);
    return end <= target.length ? end : target.length - end;
  };
}

class Compiler {
  // Named types are shared avsc objects: one writer each, and recursion through a forwarder.
  readonly #built = new Map<AvscType, Write>();
  readonly #building = new Map<AvscType, { write?: Write; forwarded: boolean }>();

  writer(type: AvscType): Write {
    const built = this.#built.get(type);
    if (built) return built;
    const pending = this.#building.get(type);
    if (pending) {
      pending.forwarded = true;
      return (t, p, v) => pending.write!(t, p, v);
    }
    const slot: { write?: Write; forwarded: boolean } = { forwarded: false };
    this.#building.set(type, slot);
    const write = this.#build(type);
    slot.write = write;
    this.#building.delete(type);
    this.#built.set(type, write);
    return write;
  }

  #build(type: AvscType): Write {
    const name = type.typeName;
    const primitive = primitives[name];
    if (primitive) return primitive;
    switch (name) {
      case "abstract:long":
        if (type === (exactLong as unknown as AvscType)) return writeExactLong;
        throw new Unsupported(name);
      case "fixed":
        return fixedWriter(type.size!);
      case "enum":
        return enumWriter(type.symbols!);
      case "array":
        return arrayWriter(this.writer(type.itemsType!));
      case "map":
        return mapWriter(this.writer(type.valuesType!));
      case "record":
      case "error":
        return recordWriter(type.fields!.map((field) => ({
          name: field.name,
          write: this.writer(field.type),
          defaultBytes: defaultBytesOf(field),
        })));
      case "union:unwrapped":
        return this.#unwrapped(type.types!);
      case "union:wrapped":
        return wrappedWriter(
          type.types!,
          type.types!.map((branch) => this.writer(branch)),
          (branch) => valueAdapter(branch as unknown as avro.Type),
        );
    }
    if (name.startsWith("logical:")) return this.#logical(type);
    throw new Unsupported(name);
  }

  #unwrapped(branches: readonly AvscType[]): Write {
    const writes = branches.map((branch) => this.writer(branch));
    const nullIndex = branches.findIndex((branch) => branch.typeName === "null");
    const union = branches.length === 2 && nullIndex !== -1
      ? nullableWriter(nullIndex, branches[1 - nullIndex], writes[1 - nullIndex])
      : unwrappedWriter(branches, writes);
    if (!union) throw new Unsupported("union");
    return union;
  }

  // avsc's LogicalType writes `_toValue(value)` with its underlying type (undefined is refused there).
  #logical(type: AvscType): Write {
    const underlying = this.writer(type.underlyingType!);
    const toValue = type._toValue!.bind(type);
    return (t, p, v) => underlying(t, p, toValue(v));
  }
}
