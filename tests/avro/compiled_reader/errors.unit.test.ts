/**
 * Malformed bodies throw an Error with a clear message, never hang and never
 * read past the end of the body; mutated bodies are refused or read exactly
 * where avsc + value_adapter.ts refuse or read them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_ZERO_BYTE_ITEMS } from "../../../src/avro/bounded_blocks.ts";
import type { AvscType } from "../../../src/avro/avsc_type.ts";
import { prng, valueOf } from "./avro_values.ts";
import { pairOf } from "./expected.ts";
import { schemas } from "./schemas.ts";

// Zigzag varint of a number, exact past 2^31.
const zz = (n: number) => {
  const out: number[] = [];
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  do {
    out.push((z % 128) | (z >= 128 ? 0x80 : 0));
    z = Math.floor(z / 128);
  } while (z > 0);
  return out;
};

const read = (schema: unknown, bytes: number[]) => {
  const { compiled } = pairOf(schema);
  const body = new Uint8Array(bytes);
  return () => compiled(body, 0, body.length);
};

test("every truncation of a valid body is refused as truncated, even with bytes after its end", () => {
  for (const name of ["primitives", "logical types", "containers", "unions", "recursive tree"]) {
    const pair = pairOf(schemas[name]);
    for (let seed = 1; seed <= 20; seed++) {
      const body = pair.type.toBuffer(valueOf(pair.type as unknown as AvscType, prng(seed)));
      // Continuation bytes after the end: a reader that looked past it would keep reading.
      const framed = new Uint8Array(body.length + 16).fill(0x80);
      framed.set(body);
      for (let cut = 0; cut < body.length; cut++) {
        assert.throws(
          () => pair.compiled(framed, 0, cut),
          /truncated/,
          `${name} ${seed} cut ${cut}`,
        );
      }
    }
  }
});

test("trailing bytes after the value are refused, as avsc's fromBuffer refuses them", () => {
  assert.throws(read("int", [2, 0]), /trailing data: 1 bytes after the value/);
  assert.throws(read(["null", "string"], [0, 0, 0]), /trailing data: 2 bytes/);
});

test("invalid union and enum indexes are refused", () => {
  assert.throws(read(["null", "string"], zz(2)), /invalid union index: 2/);
  assert.throws(read(["null", "string"], zz(-1)), /invalid union index: -1/);
  const status = { type: "enum", name: "Status", symbols: ["NEW", "PAID"] };
  assert.throws(read(status, zz(2)), /invalid Status enum index: 2/);
  assert.throws(read(status, zz(-1)), /invalid Status enum index: -1/);
});

test("negative lengths of strings, bytes and map keys are refused", () => {
  assert.throws(read("string", zz(-1)), /invalid string length: -1 is negative/);
  assert.throws(read("bytes", zz(-3)), /invalid bytes length: -3 is negative/);
  assert.throws(read({ type: "map", values: "int" }, [...zz(1), ...zz(-1)]), /negative/);
});

test("lengths past the end are refused before anything is allocated", () => {
  assert.throws(read("string", zz(2 ** 40)), /truncated buffer: a string of 1099511627776 bytes/);
  assert.throws(read("bytes", [...zz(5), 1, 2]), /truncated buffer: a bytes of 5 bytes/);
  assert.throws(read({ type: "fixed", name: "F", size: 4 }, [1, 2, 3]), /truncated/);
  assert.throws(read("double", [1, 2, 3, 4, 5, 6, 7]), /truncated buffer: a double/);
  assert.throws(read("float", [1, 2, 3]), /truncated buffer: a float/);
  assert.throws(read("boolean", []), /truncated buffer: a boolean/);
});

test("hostile block counts are refused, as bounded_blocks.ts refuses them", () => {
  const strings = { type: "array", items: "string" };
  assert.throws(read(strings, [...zz(2 ** 40), 0]), /array block of 1099511627776 items/);
  // A negative count (then a byte size) is as bounded.
  assert.throws(read(strings, [...zz(-(2 ** 40)), ...zz(1), 0]), /array block/);
  const nulls = { type: "array", items: "null" };
  assert.throws(read(nulls, [...zz(2 ** 40), 0]), /past the limit of 1048576/);
  assert.throws(
    read(nulls, [...zz(MAX_ZERO_BYTE_ITEMS), ...zz(2), 0]),
    /array of 1048578 empty items is past the limit/,
  );
  const ok = read(nulls, [...zz(1000), 0])() as unknown[];
  assert.equal(ok.length, 1000);
  const empties = { type: "array", items: { type: "record", name: "E", fields: [] } };
  assert.throws(read(empties, [...zz(2 ** 23), ...zz(2 ** 23), 0]), /past the limit/);
  const map = { type: "map", values: "null" };
  assert.throws(read(map, [...zz(2 ** 40), 0]), /map block of 1099511627776 entries/);
});

test("a number long past 2^53 is refused; an exact long reads the whole 64-bit range", () => {
  const past = zz(2 ** 55);
  assert.throws(read("long", past), /potential precision loss: the long 36028797018963968/);
  assert.throws(read("long", [...zz(2 ** 53)]), /precision loss/);
  const exact = { type: "long", "flowodm.exactLong": true };
  assert.equal(read(exact, past)(), 2n ** 55n);
  const max = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
  assert.equal(read(exact, max)(), 2n ** 63n - 1n);
});

test("a run of continuation bytes ends at the end of the body, in linear time", () => {
  const run = new Uint8Array(1 << 20).fill(0xff);
  for (const schema of ["int", "long", { type: "long", "flowodm.exactLong": true }, "string"]) {
    const { compiled } = pairOf(schema);
    assert.throws(() => compiled(run, 0, run.length), /truncated|precision/);
  }
});

test("a body outside the bytes given is refused", () => {
  const { compiled } = pairOf("int");
  assert.throws(() => compiled(new Uint8Array(2), 1, 3), /not within the 2 bytes given/);
  assert.throws(() => compiled(new Uint8Array(2), -1, 1), /not within/);
});

test("mutated bodies: refused or read exactly as avsc + value_adapter.ts refuse or read them", () => {
  for (
    const name of [
      "primitives",
      "exact longs",
      "logical types",
      "containers",
      "unions",
      "recursive list",
    ]
  ) {
    const pair = pairOf(schemas[name]);
    const random = prng(17);
    for (let i = 0; i < 1500; i++) {
      const body = new Uint8Array(
        pair.type.toBuffer(valueOf(pair.type as unknown as AvscType, prng(i))),
      );
      const flips = 1 + Math.floor(random() * 3);
      for (let f = 0; f < flips && body.length > 0; f++) {
        body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      }
      let expected: unknown;
      let refused = false;
      try {
        expected = pair.reference(body);
      } catch {
        refused = true;
      }
      const label = `${name}, mutation ${i}`;
      if (refused) assert.throws(() => pair.compiled(body, 0, body.length), Error, label);
      else {
        const actual = pair.compiled(body, 0, body.length);
        assert.deepStrictEqual(comparable(actual), comparable(expected), label);
      }
    }
  }
});

// Invalid Dates (a mutated timestamp past ±8.64e15 ms) as text: deepStrictEqual finds two unequal.
function comparable(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value;
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(comparable);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
}
