/**
 * The compiled reader returns what avsc + value_adapter.ts return, for every
 * kind of schema and edge values, and bytes other writers produce (multi-block
 * arrays and maps with negative counts and sizes, invalid UTF-8).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import type { AvscType } from "../../../src/avro/avsc_type.ts";
import { compileReader } from "../../../src/avro/compiled_reader/compile_reader.ts";
import { prng, valueOf } from "./avro_values.ts";
import { assertSameRead, pairOf } from "./expected.ts";
import { schemas } from "./schemas.ts";

const valuesPerSchema = 300;

for (const [name, schema] of Object.entries(schemas)) {
  test(`${name}: ${valuesPerSchema} seeded values read as avsc + adapter read them`, () => {
    const pair = pairOf(schema);
    for (let seed = 1; seed <= valuesPerSchema; seed++) {
      const value = valueOf(pair.type as unknown as AvscType, prng(seed));
      assertSameRead(pair, pair.type.toBuffer(value), `${name}, seed ${seed}`);
    }
  });
}

// Zigzag varints of small numbers.
const zz = (n: number) => {
  const out: number[] = [];
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  do {
    out.push((z & 0x7f) | (z >= 0x80 ? 0x80 : 0));
    z = Math.floor(z / 128);
  } while (z > 0);
  return out;
};
const str = (text: string) => [...zz(Buffer.byteLength(text)), ...Buffer.from(text)];

test("arrays and maps in several blocks, with negative counts and byte sizes, read whole", () => {
  const pair = pairOf({
    type: "record",
    name: "Blocks",
    fields: [
      { name: "names", type: { type: "array", items: "string" } },
      { name: "byKey", type: { type: "map", values: "int" } },
      { name: "nulls", type: { type: "array", items: "null" } },
    ],
  });
  const names = [
    ...zz(2),
    ...str("a"),
    ...str("bc"),
    ...zz(-1),
    ...zz(str("déf").length),
    ...str("déf"),
    ...zz(0),
  ];
  const byKey = [
    ...zz(-2),
    ...zz(8),
    ...str("k1"),
    ...zz(1),
    ...str("k2"),
    ...zz(-300),
    ...zz(1),
    ...str("k3"),
    ...zz(7),
    ...zz(0),
  ];
  const nulls = [...zz(3), ...zz(-2), ...zz(0), ...zz(0)];
  const body = new Uint8Array([...names, ...byKey, ...nulls]);
  assertSameRead(pair, body, "blocks");
  assert.deepStrictEqual(pair.compiled(body, 0, body.length), {
    names: ["a", "bc", "déf"],
    byKey: { k1: 1, k2: -300, k3: 7 },
    nulls: [null, null, null, null, null],
  });
});

test("invalid UTF-8 reads as avsc reads it (U+FFFD), short and long", () => {
  const pair = pairOf("string");
  const samples = [
    [0xff],
    [0x61, 0x80, 0x62],
    [0xc3],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
    [0xed, 0xa0, 0x80], // a UTF-16 surrogate, encoded
    [0xf0, 0x9f, 0x98, 0x80, 0xc0, 0xaf],
    [...Buffer.from("a".repeat(40)), 0xfe, 0x41],
  ];
  for (const sample of samples) {
    const body = new Uint8Array([...zz(sample.length), ...sample]);
    assertSameRead(pair, body, `bytes ${sample.join(",")}`);
    assert.match(pair.compiled(body, 0, body.length) as string, /\ufffd/);
  }
});

test("long strings in a view that starts inside its buffer read from the view's own start", () => {
  const pair = pairOf("string");
  const text = "é".repeat(20) + "x".repeat(30) + "😀";
  const encoded = [...Buffer.from(text)];
  const body = [...zz(encoded.length), ...encoded];
  // The record's bytes sit at offset 7 of a larger buffer, after bytes that are not UTF-8.
  const backing = new Uint8Array([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, ...body, 0xff]);
  const view = backing.subarray(7, 7 + body.length);
  assert.equal(pair.compiled(view, 0, view.length), text);
  assertSameRead(pair, view, "a view at offset 7");
});

test("longs at and around 2^52 and 2^53 read exactly; overlong varints as avsc reads them", () => {
  const pair = pairOf("long");
  for (
    const n of [2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, 2 ** 53 - 1, -(2 ** 53) + 1, -(2 ** 52) - 1]
  ) {
    const body = pair.type.toBuffer(n);
    assert.equal(pair.compiled(body, 0, body.length), n);
  }
  // A value written with a padded (non-minimal) varint: 1 as [0x82, 0x80, 0x00].
  assertSameRead(pair, new Uint8Array([0x82, 0x80, 0x00]), "padded varint");
  const exact = pairOf({ type: "long", "flowodm.exactLong": true });
  assertSameRead(
    exact,
    new Uint8Array([0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
    "padded",
  );
  const int = pairOf("int");
  assertSameRead(
    int,
    new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
    "int past 32 bits",
  );
});

test("booleans: any byte but 0 is true, as avsc reads them", () => {
  const pair = pairOf("boolean");
  for (const byte of [0, 1, 2, 0xff]) assertSameRead(pair, new Uint8Array([byte]), `byte ${byte}`);
});

test("bytes and fixed are fresh copies, never views of the message", () => {
  const pair = pairOf({
    type: "record",
    name: "Blobs",
    fields: [
      { name: "short", type: "bytes" },
      { name: "long", type: "bytes" },
      { name: "hash", type: { type: "fixed", name: "H", size: 4 } },
    ],
  });
  const body = pair.type.toBuffer({
    short: Buffer.from([1, 2]),
    long: Buffer.alloc(100, 7),
    hash: Buffer.from([9, 9, 9, 9]),
  });
  const value = pair.compiled(body, 0, body.length) as Record<string, Uint8Array>;
  for (const bytes of Object.values(value)) {
    assert.notEqual(bytes.buffer, body.buffer);
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.buffer.byteLength, bytes.length);
  }
  body.fill(0);
  assert.deepStrictEqual(value.hash, new Uint8Array([9, 9, 9, 9]));
});

test("a schema the reader does not support is left to avsc (undefined)", () => {
  assert.equal(
    compileReader({ type: "record", name: "P", fields: [{ name: "__proto__", type: "int" }] }),
    undefined,
  );
});

test("an unwrapped union of a map and an array of bytes reads its map branch", () => {
  // value_adapter.ts applies the array branch's adapter to whichever branch was read (a map here),
  // and throws; the compiled reader converts each branch with its own type.
  const type = { type: "map", values: "int" };
  const schema = ["null", type, { type: "array", items: "bytes" }];
  const reader = compileReader(schema)!;
  const body = new Uint8Array([...zz(1), ...zz(1), ...str("a"), ...zz(5), ...zz(0)]);
  assert.deepStrictEqual(reader(body, 0, body.length), { a: 5 });
  const list = new Uint8Array([...zz(2), ...zz(1), ...zz(2), 7, 8, ...zz(0)]);
  assert.deepStrictEqual(reader(list, 0, list.length), [new Uint8Array([7, 8])]);
});

test("a map key __proto__ is an own key: maps stay plain objects (avsc would set the prototype)", () => {
  const reader = compileReader({ type: "map", values: { type: "map", values: "int" } })!;
  const body = new Uint8Array([
    ...[...zz(2), ...str("__proto__"), ...zz(1), ...str("polluted"), ...zz(1), ...zz(0)],
    ...[...str("b"), ...zz(0), ...zz(0)],
  ]);
  const value = reader(body, 0, body.length) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepStrictEqual(Object.keys(value), ["__proto__", "b"]);
  assert.deepStrictEqual(Object.getOwnPropertyDescriptor(value, "__proto__")?.value, {
    polluted: 1,
  });
  assert.equal((value as { polluted?: number }).polluted, undefined);
  assert.equal(({} as { polluted?: number }).polluted, undefined);
});
