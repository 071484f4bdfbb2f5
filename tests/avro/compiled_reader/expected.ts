/**
 * What the compiled reader must return: avsc's `fromBuffer` and
 * value_adapter.ts's `fromAvro`, as the serde read before it, with avsc's
 * Record instances copied into plain objects (the compiled reader makes plain
 * objects; deepStrictEqual compares prototypes).
 */
import assert from "node:assert/strict";
import avsc from "avsc";
import { Buffer } from "node:buffer";
import { installBoundedBlocks } from "../../../src/avro/bounded_blocks.ts";
import { installExactNumberLongs } from "../../../src/avro/exact_long.ts";
import { compileAvro } from "../../../src/avro/logical_types.ts";
import { valueAdapter } from "../../../src/avro/value_adapter.ts";
import type { AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import {
  type CompiledReader,
  compileReader,
} from "../../../src/avro/compiled_reader/compile_reader.ts";

// As the serde installs them: the reference avsc reads exact longs and bounded blocks.
installBoundedBlocks(avsc.types);
installExactNumberLongs(avsc.types);

/** The compiled reader and the reference reading of one schema. */
export interface Pair {
  readonly type: avsc.Type;
  readonly compiled: CompiledReader;
  readonly reference: (body: Uint8Array) => unknown;
}

/** Both readers of `schema`; fails when the compiled reader does not support it. */
export function pairOf(schema: unknown): Pair {
  const type = compileAvro(schema);
  const adapter = valueAdapter(type);
  const compiled = compileReader(schema as AvroSchema);
  assert.ok(compiled, `the compiled reader supports ${JSON.stringify(schema)}`);
  return {
    type,
    compiled,
    reference: (body) => {
      const value = type.fromBuffer(Buffer.from(body.buffer, body.byteOffset, body.length));
      return plain(adapter.fromAvro ? adapter.fromAvro(value) : value);
    },
  };
}

/** Record instances (any object of another class than those below) as plain objects. */
export function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(plain);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = plain(inner);
  return out;
}

/** Asserts every object in `value` (records and maps) is a plain object. */
export function assertPlainObjects(value: unknown): void {
  if (value === null || typeof value !== "object") return;
  if (value instanceof Date) return;
  if (value instanceof Uint8Array) {
    assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype, "bytes are plain Uint8Arrays");
    return;
  }
  if (Array.isArray(value)) return value.forEach(assertPlainObjects);
  assert.equal(Object.getPrototypeOf(value), Object.prototype, "records are plain objects");
  Object.values(value).forEach(assertPlainObjects);
}

/** Reads `body` both ways (also inside a larger array, as a slice) and compares. */
export function assertSameRead(pair: Pair, body: Uint8Array, label: string): void {
  const expected = pair.reference(body);
  const actual = pair.compiled(body, 0, body.length);
  assert.deepStrictEqual(actual, expected, label);
  assertPlainObjects(actual);
  // Within a larger message, with bytes either side that must not be read.
  const framed = new Uint8Array(body.length + 10).fill(0xff);
  framed.set(body, 5);
  assert.deepStrictEqual(pair.compiled(framed, 5, 5 + body.length), expected, `${label} (framed)`);
}
