/**
 * The value adapter in unions: each value is converted by the adapter of the
 * branch avsc files it under (its kind: object, array, bytes, string,
 * number...), in both directions, never by the first branch whose
 * conversion happens to change it. The compiled reader and writer, which
 * pick branches by kind themselves, are the oracle; values written with an
 * evolved writer schema (avsc's resolution, then the adapter) read back as
 * written.
 */
import assert from "node:assert/strict";
import avsc from "avsc";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import { compileAvro } from "../../src/avro/logical_types.ts";
import { valueAdapter } from "../../src/avro/value_adapter.ts";
import { compileReader } from "../../src/avro/compiled_reader/compile_reader.ts";
import type { AvroSchema } from "../../src/avro/to_avro_schema.ts";
import { compiledBytes, subjectOf } from "./compiled_writer/differential.ts";
import { plain } from "./compiled_reader/expected.ts";

const bytes = (...values: number[]) => new Uint8Array(values);
const blob = { type: "record", name: "Blob", fields: [{ name: "data", type: "bytes" }] };
const mapOf = (values: unknown) => ({ type: "map", values });
const arrayOf = (items: unknown) => ({ type: "array", items });
const suit = { type: "enum", name: "Suit", symbols: ["HEARTS", "SPADES"] };
const four = { type: "fixed", name: "Four", size: 4 };
const millis = { type: "long", logicalType: "timestamp-millis" };
const micros = { type: "long", logicalType: "timestamp-micros" };
const decimal = { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 };
const fixedDecimal = {
  type: "fixed",
  name: "Fee",
  size: 5,
  logicalType: "decimal",
  precision: 11,
  scale: 4,
};
const exactLong = { type: "long", "flowodm.exactLong": true };
const at = new Date(1_700_000_000_123);

interface Case {
  readonly union: unknown[];
  readonly wrapped?: boolean;
  readonly values: readonly unknown[];
}

// Every pair of kinds that can meet in one unwrapped union, with a branch that needs adapting.
const unwrapped: Record<string, Case> = {
  "map vs array": {
    union: ["null", mapOf("bytes"), arrayOf("bytes")],
    values: [null, {}, { a: bytes(1, 2) }, [], [bytes(3)], [bytes(), bytes(4, 5)]],
  },
  "array vs map": {
    union: ["null", arrayOf("bytes"), mapOf("bytes")],
    values: [null, {}, { a: bytes(1, 2) }, [], [bytes(3)], [bytes(), bytes(4, 5)]],
  },
  "map of records vs array of records": {
    union: ["null", mapOf(blob), arrayOf(blob)],
    values: [{ k: { data: bytes(1) } }, [{ data: bytes(2) }, { data: bytes() }]],
  },
  "record vs bytes": {
    union: ["null", blob, "bytes"],
    values: [null, { data: bytes(1) }, bytes(7, 8), bytes()],
  },
  "bytes vs record": {
    union: ["null", "bytes", blob],
    values: [null, { data: bytes(1) }, bytes(7, 8), bytes()],
  },
  "map vs bytes": {
    union: ["null", mapOf("bytes"), "bytes"],
    values: [{ a: bytes(1) }, bytes(2, 3), {}],
  },
  "fixed vs map": {
    union: ["null", four, mapOf("bytes")],
    values: [bytes(1, 2, 3, 4), { a: bytes(5) }],
  },
  "string vs map": {
    union: ["null", "string", mapOf("bytes")],
    values: [null, "", "ab", { a: bytes(1) }],
  },
  "string vs array": {
    union: ["string", arrayOf("bytes")],
    values: ["", "ab", [bytes(1)]],
  },
  "enum vs record": {
    union: ["null", suit, blob],
    values: ["HEARTS", "SPADES", { data: bytes(1) }],
  },
  // The long first: avsc resolves a writer's long into the reader's first branch that can read
  // it, and a double can (losing digits past 2^53).
  "exact long and double vs array": {
    union: ["null", exactLong, "double", arrayOf("bytes")],
    values: [0, 1.5, -2, NaN, 2n ** 60n, -1n, [bytes(1)]],
  },
  "int vs map": {
    union: ["null", "int", mapOf("bytes")],
    values: [0, -1, 7, { a: bytes(1) }],
  },
  "long vs record": {
    union: ["null", "long", blob],
    values: [2 ** 40, 0, { data: bytes(1) }],
  },
  "boolean vs array": {
    union: ["null", "boolean", arrayOf("bytes")],
    values: [true, false, [bytes(1)]],
  },
  "timestamp-millis vs bytes": {
    union: ["null", millis, "bytes"],
    values: [at, new Date(0), bytes(1)],
  },
  "timestamp-micros vs array": {
    union: ["null", micros, arrayOf("bytes")],
    values: [at, [bytes(1)]],
  },
  "decimal vs map": {
    union: ["null", decimal, mapOf("bytes")],
    values: ["12.34", "-0.01", { a: bytes(1) }],
  },
  "decimal vs fixed": {
    union: ["null", decimal, four],
    values: ["1.00", "-12.50", bytes(1, 2, 3, 4)],
  },
  "fixed decimal vs bytes": {
    union: ["null", fixedDecimal, "bytes"],
    values: ["1.2345", bytes(1), bytes()],
  },
  "fixed decimal vs record": {
    union: ["null", fixedDecimal, blob],
    values: ["1.2345", { data: bytes(9) }],
  },
};

// Kinds that share an avsc bucket make the union wrapped: the first branch of the value's kind that takes it.
const wrapped: Record<string, Case> = {
  // No bytes branch here: avsc resolves a writer's bytes into the reader's first branch that
  // can read them, and a string can.
  "string vs enum": {
    union: ["null", "string", suit, blob],
    wrapped: true,
    values: ["HEARTS", "other", { data: bytes(1) }],
  },
  "int vs double": {
    union: ["null", "int", "double", "bytes"],
    wrapped: true,
    values: [1, 1.5, bytes(1)],
  },
  "record vs map vs bytes": {
    union: ["null", blob, mapOf("bytes"), "bytes"],
    wrapped: true,
    values: [{ data: bytes(1) }, { a: bytes(2), b: bytes() }, bytes(3)],
  },
  "map of ints vs record vs bytes": {
    union: ["null", mapOf("int"), blob, "bytes"],
    wrapped: true,
    values: [{ a: 1 }, { data: bytes(1) }, bytes(2, 3), bytes()],
  },
};

const recordOf = (name: string, fields: [string, unknown][]): AvroSchema => ({
  type: "record",
  name,
  fields: fields.map(([field, type]) => ({ name: field, type })),
});

// Named types by name after their first use, as Avro wants them.
function inOrder(union: unknown[]): unknown[] {
  const named = new Set<string>();
  const visit = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(visit);
    if (typeof schema !== "object" || schema === null) return schema;
    const node = schema as Record<string, unknown>;
    if (typeof node.name === "string") {
      if (named.has(node.name)) return node.name;
      named.add(node.name);
    }
    const copy: Record<string, unknown> = { ...node };
    if (node.items) copy.items = visit(node.items);
    if (node.values) copy.values = visit(node.values);
    return copy;
  };
  return union.map(visit);
}

// A schema a later writer might use: a field ahead of ours and the union's branches reversed.
function evolved(union: unknown[]): AvroSchema {
  const nullFirst = union[0] === "null";
  const rest = nullFirst ? union.slice(1) : union;
  const reversed = inOrder([...(nullFirst ? ["null"] : []), ...[...rest].reverse()]);
  return recordOf("Holder", [["tag", "string"], ["u", reversed]]);
}

function checkCase(name: string, { union, values, wrapped = false }: Case): void {
  const schema = recordOf("Holder", [["u", inOrder(union)]]);
  const subject = subjectOf(schema);
  const unionType = (subject.type as unknown as { fields: { type: { typeName: string } }[] })
    .fields[0].type;
  assert.equal(unionType.typeName, wrapped ? "union:wrapped" : "union:unwrapped", name);
  const adapter = valueAdapter(subject.type);
  const read = compileReader(schema)!;
  assert.ok(read, `the compiled reader supports ${name}`);
  const writer = subjectOf(evolved(union));
  const resolver = subject.type.createResolver(writer.type);

  for (const u of values) {
    const value = { u };
    const what = `${name}: ${String(u instanceof Uint8Array ? `bytes[${u.length}]` : u)}`;
    // toAvro: avsc writes the adapted value as the compiled writer writes the model's.
    const expected = compiledBytes(subject, value);
    assert.deepStrictEqual(plain(read(expected, 0, expected.length)), value, `${what}: oracle`);
    let actual: Uint8Array;
    try {
      actual = new Uint8Array(subject.type.toBuffer(subject.toAvro(value)));
    } catch (error) {
      assert.fail(`${what}: avsc could not write the adapted value: ${(error as Error).message}`);
    }
    assert.deepStrictEqual(actual, expected, `${what}: toAvro`);
    // fromAvro: avsc's reading, adapted, is the compiled reader's.
    const avscValue = subject.type.fromBuffer(Buffer.from(expected));
    const adapted = plain(adapter.fromAvro ? adapter.fromAvro(avscValue) : avscValue);
    assert.deepStrictEqual(adapted, value, `${what}: fromAvro`);
    // An evolved writer's bytes through avsc's resolution, then the adapter.
    const written = compiledBytes(writer, { tag: "w", u });
    const resolved = subject.type.fromBuffer(Buffer.from(written), resolver);
    const resolvedValue = plain(adapter.fromAvro ? adapter.fromAvro(resolved) : resolved);
    assert.deepStrictEqual(resolvedValue, value, `${what}: resolved`);
  }
}

for (const [name, union] of Object.entries(unwrapped)) {
  test(`unwrapped union, ${name}: each value adapted by its own branch, both ways`, () => {
    checkCase(name, union);
  });
}

for (const [name, union] of Object.entries(wrapped)) {
  test(`wrapped union, ${name}: each value written in the first branch of its kind`, () => {
    checkCase(name, union);
  });
}

test("a Date next to an object branch: avsc refuses to write it, but other writers' are read", () => {
  const schema = recordOf("Holder", [["u", ["null", millis, mapOf("bytes")]]]);
  const type = compileAvro(schema);
  const adapter = valueAdapter(type);
  assert.throws(() => type.toBuffer(adapter.toAvro!({ u: at })), /ambiguous/);
  assert.throws(() => compiledBytes(subjectOf(schema), { u: at }), /ambiguous/);
  // Branch 1 (zigzag 2), then the long 1_700_000_000_123 as another writer wrote it.
  const body = new Uint8Array([2, ...avsc.Type.forSchema("long").toBuffer(at.getTime())]);
  const read = compileReader(schema)!(body, 0, body.length);
  assert.deepStrictEqual(read, { u: at });
  const value = type.fromBuffer(Buffer.from(body));
  assert.deepStrictEqual(plain(adapter.fromAvro!(value)), { u: at });
});

test("the adapter leaves avsc's values and the model's as they were", () => {
  const type = compileAvro(recordOf("Holder", [["u", ["null", arrayOf("bytes"), mapOf("bytes")]]]));
  const adapter = valueAdapter(type);
  const model = { u: { a: bytes(1) } };
  const avro = adapter.toAvro!(model) as { u: { a: Uint8Array } };
  assert.ok(Buffer.isBuffer(avro.u.a));
  assert.ok(!Buffer.isBuffer(model.u.a), "the model's value is not changed");
  const back = adapter.fromAvro!(avro) as { u: { a: Uint8Array } };
  assert.ok(!Buffer.isBuffer(back.u.a));
  assert.ok(Buffer.isBuffer(avro.u.a), "avsc's value is not changed");
});
