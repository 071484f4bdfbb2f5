/**
 * The compiled writer against avsc: the bytes avsc writes for the adapted
 * model value, and random model values of any avsc type (edge values
 * favoured). Shared by the compiled writer's unit tests.
 */
import assert from "node:assert/strict";
import avro from "avsc";
import { compileAvro } from "../../../src/avro/logical_types.ts";
import { valueAdapter } from "../../../src/avro/value_adapter.ts";
import { installExactNumberLongs } from "../../../src/avro/exact_long.ts";
import { installBoundedBlocks } from "../../../src/avro/bounded_blocks.ts";
import {
  type CompiledWriter,
  compileWriter,
} from "../../../src/avro/compiled_writer/compile_writer.ts";
import type { AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import { prng } from "../prng.ts";

// As the serde has them: exact number longs, bounded blocks.
installExactNumberLongs(avro.types);
installBoundedBlocks(avro.types);

/** A schema compiled both ways. */
export interface Subject {
  readonly type: avro.Type;
  readonly writer: CompiledWriter;
  readonly toAvro: (value: unknown) => unknown;
}

/** Compiles `schema` as the serde does; the compiled writer must support it. */
export function subjectOf(schema: AvroSchema): Subject {
  const type = compileAvro(schema);
  const writer = compileWriter(schema, type);
  assert.ok(writer, `no compiled writer for ${JSON.stringify(schema)}`);
  const adapter = valueAdapter(type);
  return { type, writer, toAvro: (v) => (adapter.toAvro ? adapter.toAvro(v) : v) };
}

/** avsc's bytes for a model value (through the adapter), or the Error it throws. */
export function avscBytes(subject: Subject, value: unknown): Uint8Array | Error {
  try {
    return new Uint8Array(subject.type.toBuffer(subject.toAvro(value)));
  } catch (error) {
    return error as Error;
  }
}

/**
 * The compiled writer's bytes, written at an odd offset into a buffer too
 * small at first: the negative result must be exactly the bytes missing, and
 * the retry with that much more room must fit.
 */
export function compiledBytes(subject: Subject, value: unknown, room = 3): Uint8Array {
  const offset = 5;
  let target = new Uint8Array(offset + room);
  let end = subject.writer(value, target, offset);
  if (end < 0) {
    target = new Uint8Array(target.length - end);
    end = subject.writer(value, target, offset);
    assert.ok(end >= 0, "the room asked for was not enough");
    assert.equal(end, target.length, "the room asked for was more than needed");
  }
  return target.slice(offset, end);
}

/**
 * Asserts the compiled writer writes avsc's bytes, or throws where avsc
 * throws; true when the value was written.
 */
export function assertSame(subject: Subject, value: unknown, label = ""): boolean {
  const expected = avscBytes(subject, value);
  const what = `${label} ${describe(value)}`;
  if (expected instanceof Error) {
    assert.throws(() => compiledBytes(subject, value), Error, `avsc refused ${what}`);
    return false;
  }
  for (const room of [0, 3, expected.length, expected.length + 64]) {
    const actual = compiledBytes(subject, value, room);
    if (!sameBytes(actual, expected)) {
      assert.fail(`bytes of ${what} (room ${room}): ${hex(actual)} instead of ${hex(expected)}`);
    }
  }
  return true;
}

/** Checks `count` random values of the subject; asserts most were valid, so bytes were compared. */
export function assertSameRandom(subject: Subject, seed: number, count: number, label = ""): void {
  const next = prng(seed);
  let written = 0;
  for (let i = 0; i < count; i++) {
    if (assertSame(subject, randomValue(subject.type, next), label)) written++;
  }
  assert.ok(written > count / 2, `${label}: only ${written} of ${count} random values were valid`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function hex(bytes: Uint8Array): string {
  const text = Array.from(bytes.subarray(0, 48), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${bytes.length} bytes ${text}${bytes.length > 48 ? "…" : ""}`;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? `${v}n` : v)?.slice(0, 200) ??
      String(value);
  } catch {
    return String(value);
  }
}

/** Strings that stress the encoder: empty, every UTF-8 width, lone surrogates, both sides of 64 bytes. */
export const edgeStrings: readonly string[] = [
  "",
  "a",
  "x".repeat(31),
  "x".repeat(63),
  "x".repeat(64),
  "x".repeat(65),
  "x".repeat(127),
  "x".repeat(128),
  "x".repeat(5000),
  "é",
  "naïve café",
  "€".repeat(21),
  "€".repeat(22),
  "€".repeat(40),
  "😀",
  "😀".repeat(16),
  "😀".repeat(17),
  "a😀b€c\u0000d",
  "\ud800",
  "x\ud800y",
  "\udc00",
  "\ud800".repeat(21),
  "\ud800".repeat(22),
  "ab\ud83d",
  "\ud83d" + "x".repeat(70),
  "日本語のテキスト".repeat(3),
  "日本語のテキスト".repeat(30),
  "a".repeat(40) + "é" + "b".repeat(22),
  "\u007f\u0080\u07ff\u0800\uffff",
];

const edgeInts = [
  0,
  -0,
  1,
  -1,
  63,
  64,
  -64,
  -65,
  8191,
  8192,
  2 ** 30 - 1,
  2 ** 30,
  -(2 ** 30),
  -(2 ** 30) - 1,
  2 ** 31 - 1,
  -(2 ** 31),
];
const edgeLongs = [
  ...edgeInts,
  2 ** 32,
  -(2 ** 32),
  2 ** 52 - 1,
  2 ** 52,
  -(2 ** 52),
  2 ** 52 + 1,
  -(2 ** 52) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  1_700_000_000_000,
];
const edgeDoubles = [
  0,
  -0,
  1.5,
  -2.25,
  NaN,
  Infinity,
  -Infinity,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e-310,
  3.4028235e38,
  1e39,
  0.1,
];
const edgeBigints = [
  0n,
  -1n,
  1n,
  2n ** 53n,
  -(2n ** 53n) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  123456789012345678n,
  2n ** 52n,
  -(2n ** 52n),
];

interface TypeShape {
  readonly typeName: string;
  readonly fields?: readonly { name: string; type: TypeShape; defaultValue(): unknown }[];
  readonly itemsType?: TypeShape;
  readonly valuesType?: TypeShape;
  readonly types?: readonly TypeShape[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: TypeShape;
}

/** A random model value of `type` (a valid one, unless the edge values make it invalid). */
export function randomValue(type: avro.Type, next: () => number, depth = 0): unknown {
  return valueOf(type as unknown as TypeShape, next, depth);
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function valueOf(type: TypeShape, next: () => number, depth: number): unknown {
  const count = (max: number) => (depth > 3 ? 0 : Math.floor(next() * (max + 1)));
  switch (type.typeName) {
    case "null":
      return null;
    case "boolean":
      return next() < 0.5;
    case "int":
      return next() < 0.5 ? pick(next, edgeInts) : Math.floor((next() - 0.5) * 2 ** 31);
    case "long":
      return next() < 0.5 ? pick(next, edgeLongs) : Math.floor((next() - 0.5) * 2 ** 53);
    case "abstract:long":
      return next() < 0.7 ? pick(next, edgeBigints) : BigInt(Math.floor((next() - 0.5) * 2 ** 53));
    case "float":
    case "double":
      return next() < 0.5 ? pick(next, edgeDoubles) : (next() - 0.5) * 1e6;
    case "string":
      return next() < 0.6 ? pick(next, edgeStrings) : `s${Math.floor(next() * 1e9)}`;
    case "bytes":
      return Uint8Array.from({ length: count(40) }, () => Math.floor(next() * 256));
    case "fixed":
      return Uint8Array.from({ length: type.size! }, () => Math.floor(next() * 256));
    case "enum":
      return pick(next, type.symbols!);
    case "array":
      return Array.from({ length: count(4) }, () => valueOf(type.itemsType!, next, depth + 1));
    case "map":
      return Object.fromEntries(
        Array.from({ length: count(3) }, () => [
          pick(next, edgeStrings),
          valueOf(type.valuesType!, next, depth + 1),
        ]),
      );
    case "record":
    case "error": {
      const out: Record<string, unknown> = {};
      for (const field of type.fields!) {
        if (field.defaultValue() !== undefined && next() < 0.3) continue; // absent: the default
        out[field.name] = valueOf(field.type, next, depth + 1);
      }
      return out;
    }
    case "union:unwrapped":
    case "union:wrapped": {
      const branches = type.types!;
      const nullBranch = branches.find((b) => b.typeName === "null");
      if (nullBranch && (depth > 3 || next() < 0.3)) return null;
      return valueOf(pick(next, branches), next, depth + 1);
    }
    case "logical:timestamp-millis":
    case "logical:timestamp-micros":
      return new Date(Math.floor((next() - 0.3) * 4e12));
    case "logical:decimal": {
      // avsc does not export precision and scale: try shorter decimals until one fits.
      for (let digits = 1 + count(12); digits >= 0; digits--) {
        const whole = Array.from({ length: digits + 1 }, () => Math.floor(next() * 10)).join("");
        const fraction = Array.from({ length: count(4) }, () => Math.floor(next() * 10)).join("");
        const text = (next() < 0.5 ? "-" : "") + whole + (fraction ? `.${fraction}` : "");
        if ((type as unknown as avro.Type).isValid(text)) return text;
      }
      return "0";
    }
  }
  throw new Error(`no random values of ${type.typeName}`);
}
