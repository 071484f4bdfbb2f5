/** The compiled writer writes avsc's bytes for every kind of Avro type, edge values included. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AvroSchema } from "../../../src/avro/to_avro_schema.ts";
import { assertSame, assertSameRandom, edgeStrings, subjectOf } from "./differential.ts";

const ints = [
  0,
  -0,
  1,
  -1,
  63,
  64,
  -64,
  -65,
  2 ** 30 - 1,
  2 ** 30,
  -(2 ** 30),
  -(2 ** 30) - 1,
  2 ** 31 - 1,
  -(2 ** 31),
];
const longs = [
  ...ints,
  2 ** 52 - 1,
  2 ** 52,
  -(2 ** 52),
  2 ** 52 + 1,
  -(2 ** 52) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 35 + 3,
  -(2 ** 44) - 7,
];
const doubles = [
  0,
  -0,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e39,
  -1e-40,
  0.1,
  3.4028235e38,
];

const cases: [string, AvroSchema, unknown[]][] = [
  ["null", "null", [null]],
  ["boolean", "boolean", [true, false]],
  ["int", "int", ints],
  ["long", "long", longs],
  ["float", "float", doubles],
  ["double", "double", doubles],
  ["string", "string", [...edgeStrings]],
  ["bytes", "bytes", [new Uint8Array(), new Uint8Array([0, 255, 7]), new Uint8Array(300).fill(9)]],
  ["fixed", { type: "fixed", name: "F", size: 3 }, [new Uint8Array([1, 2, 3])]],
  ["enum", { type: "enum", name: "E", symbols: ["A", "B", "C"] }, ["A", "C"]],
  ["array", { type: "array", items: "int" }, [[], [1, -1, 2 ** 31 - 1], Array(1000).fill(5)]],
  ["map", { type: "map", values: "string" }, [{}, { a: "x", "é": "€", "": "" }]],
  ["exact long", { type: "long", "flowodm.exactLong": true }, [
    0n,
    -1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    2n ** 53n + 1n,
    -(2n ** 52n),
    2n ** 52n - 1n,
    300n,
  ]],
  ["timestamp-millis", { type: "long", logicalType: "timestamp-millis" }, [
    new Date(0),
    new Date(1_700_000_000_123),
    new Date(-1),
    new Date(8.64e15),
  ]],
  ["timestamp-micros", { type: "long", logicalType: "timestamp-micros" }, [
    new Date(0),
    new Date(1_700_000_000_123),
    new Date(-123456),
  ]],
  ["decimal bytes", { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 }, [
    "0",
    "12.34",
    "-12.34",
    "9999999999.99",
    "-9999999999.99",
    "0.01",
    "-0.5",
    "128",
    "-128",
  ]],
  ["decimal fixed", {
    type: "fixed",
    name: "Fee",
    size: 5,
    logicalType: "decimal",
    precision: 11,
    scale: 4,
  }, ["0", "1.2345", "-1.2345", "9999999.9999", "-0.0001"]],
  ["other logical types as their underlying type", {
    type: "record",
    name: "L",
    fields: [
      { name: "day", type: { type: "int", logicalType: "date" } },
      { name: "id", type: { type: "string", logicalType: "uuid" } },
      { name: "t", type: { type: "long", logicalType: "time-micros" } },
    ],
  }, [{ day: 19000, id: "6b2f1c5e-8d0a-4f3e-9c1b-2a3d4e5f6a7b", t: 86_399_999_999 }]],
];

for (const [name, schema, values] of cases) {
  test(`${name}: the same bytes as avsc`, () => {
    const subject = subjectOf(schema);
    for (const value of values) assertSame(subject, value, name);
  });
}

test("-0 and 0 are the same int and long bytes; NaN and infinities are doubles", () => {
  const int = subjectOf("int");
  assertSame(int, -0);
  const double = subjectOf("double");
  for (const value of [NaN, -NaN, Infinity, -Infinity]) assertSame(double, value);
});

test("every kind, random values against avsc (seeded)", () => {
  for (const [name, schema] of cases) assertSameRandom(subjectOf(schema), 17, 300, name);
});

test("a string longer than the target reports exactly the bytes missing", () => {
  const subject = subjectOf("string");
  const text = "é".repeat(40_000); // 80,000 bytes: more than a 64 KiB slab
  const target = new Uint8Array(1000);
  const end = subject.writer(text, target, 10);
  assert.equal(end, 1000 - (10 + 3 + 80_000));
});

test("fields a record writes inline: the same bytes as avsc, edge values included", () => {
  const subject = subjectOf({
    type: "record",
    name: "Inline",
    fields: [
      { name: "f", type: "float" },
      { name: "d", type: "double" },
      { name: "i", type: "int" },
      { name: "l", type: "long" },
      { name: "b", type: "boolean" },
      { name: "s", type: "string" },
      { name: "dd", type: "double", default: 1.5 },
    ],
  });
  doubles.forEach((d, k) => {
    const value = {
      f: doubles[(k + 3) % doubles.length],
      d,
      i: ints[k % ints.length],
      l: longs[k % longs.length],
      b: k % 2 === 0,
      s: edgeStrings[k % edgeStrings.length],
      dd: k % 3 === 0 ? undefined : d,
    };
    assertSame(subject, value, "inline fields");
  });
  for (const bad of [{ f: "1" }, { d: null }, { i: 1.5 }, { l: 2 ** 53 }, { b: 1 }, { s: 1 }]) {
    assertSame(subject, { f: 1, d: 1, i: 1, l: 1, b: true, s: "", ...bad }, "refused inline field");
  }
});
