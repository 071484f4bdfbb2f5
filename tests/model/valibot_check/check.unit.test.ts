/**
 * The no-copy check against Valibot itself: for every schema and many values
 * around its valid ones, whenever the check passes a value, Valibot accepts
 * it and returns an equal one; valid values without defaults are passed (so
 * the fast path is taken); and schemas that change values are left to Valibot.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { compileCheck } from "../../../src/model/valibot_check/check.ts";
import { orders, OrderSchema } from "../../../bench/record.ts";

const Address = v.object({ street: v.string(), city: v.string() });
const Shape = v.variant("kind", [
  v.object({ kind: v.literal("circle"), radius: v.pipe(v.number(), v.minValue(0)) }),
  v.object({ kind: v.literal("square"), side: v.number() }),
]);
enum Color {
  Red = "red",
  Blue = "blue",
}
type Tree = { name: string; children: Tree[] };
const TreeSchema: v.GenericSchema<Tree> = v.object({
  name: v.string(),
  children: v.array(v.lazy(() => TreeSchema)),
});

/** Schemas with values Valibot accepts unchanged. */
const cases: [string, v.GenericSchema, unknown[]][] = [
  [
    "scalars",
    v.object({
      s: v.string(),
      n: v.number(),
      b: v.boolean(),
      big: v.bigint(),
      d: v.date(),
      bytes: v.instance(Uint8Array),
    }),
    [{ s: "", n: -0, b: false, big: 2n ** 63n - 1n, d: new Date(0), bytes: new Uint8Array(2) }],
  ],
  [
    "pipes",
    v.object({
      email: v.pipe(v.string(), v.email()),
      id: v.pipe(v.string(), v.uuid()),
      code: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/), v.length(3)),
      qty: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)),
      name: v.pipe(
        v.string(),
        v.minLength(1),
        v.maxLength(5),
        v.title("Name"),
      ),
      at: v.pipe(v.date(), v.minValue(new Date(1000))),
      branded: v.pipe(v.string(), v.brand("Id"), v.readonly()),
      checked: v.pipe(v.number(), v.check((n) => n % 2 === 0, "even")),
    }),
    [{
      email: "a@b.co",
      id: "123e4567-e89b-12d3-a456-426614174000",
      code: "ABC",
      qty: 10,
      name: "ab",
      at: new Date(5000),
      branded: "x",
      checked: 4,
    }],
  ],
  [
    "wrappers",
    v.object({
      o: v.optional(v.string()),
      n: v.nullable(v.number()),
      nn: v.nullish(v.boolean()),
      e: v.exactOptional(v.string()),
    }),
    [{ o: "x", n: 1, nn: true, e: "y" }, { n: null }, { o: undefined, n: null, nn: null }],
  ],
  [
    "collections",
    v.object({
      tags: v.array(v.string()),
      scores: v.record(v.string(), v.number()),
      nested: v.array(v.object({ a: v.picklist(["x", "y"]), c: v.enum(Color) })),
    }),
    [{ tags: [], scores: {}, nested: [] }, {
      tags: ["a", "b"],
      scores: { a: 1, b: 2.5 },
      nested: [{ a: "x", c: Color.Red }, { a: "y", c: Color.Blue }],
    }],
  ],
  [
    "objects",
    v.object({
      strict: v.strictObject({ a: v.string() }),
      loose: v.looseObject({ a: v.string() }),
      address: Address,
      again: Address,
    }),
    [{
      strict: { a: "s" },
      loose: { a: "l" },
      address: { street: "1", city: "c" },
      again: {
        street: "2",
        city: "d",
      },
    }],
  ],
  [
    "choices",
    v.object({
      either: v.union([v.string(), v.number(), v.null()]),
      shape: Shape,
      lit: v.literal(3),
      tree: TreeSchema,
    }),
    [
      {
        either: "s",
        shape: { kind: "circle", radius: 1 },
        lit: 3,
        tree: { name: "r", children: [] },
      },
      {
        either: null,
        shape: { kind: "square", side: 2 },
        lit: 3,
        tree: {
          name: "r",
          children: [{ name: "c", children: [] }],
        },
      },
    ],
  ],
  ["order", OrderSchema as unknown as v.GenericSchema, orders.slice(0, 20)],
];

const oddities: unknown[] = [
  undefined,
  null,
  "",
  "x",
  "a@b.co",
  0,
  -1,
  1.5,
  11,
  NaN,
  Infinity,
  true,
  2n,
  new Date(NaN),
  new Date(0),
  [],
  ["x"],
  {},
  { a: "x" },
  new Uint8Array(1),
];

/** The value with the leaf or key at every path replaced, removed, or joined by an unknown key. */
function* variants(value: unknown, depth = 0): Generator<unknown> {
  for (const odd of oddities) yield odd;
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (value instanceof Date || value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && i < 3; i++) {
      for (const inner of variants(value[i], depth + 1)) {
        const copy = [...value];
        copy[i] = inner;
        yield copy;
      }
    }
    yield [...value, "extra"];
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    for (const inner of variants(object[key], depth + 1)) yield { ...object, [key]: inner };
    const { [key]: _, ...without } = object;
    yield without;
  }
  yield { ...object, __extra: 1 };
}

/** The value as Valibot's output would hold it: unknown keys dropped (loose objects and records keep theirs). */
function withoutExtras(value: unknown, keep = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutExtras(item));
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "__extra" && !keep) continue;
    out[key] = withoutExtras(item, key === "loose" || key === "scores");
  }
  return out;
}

const show = (value: unknown) =>
  JSON.stringify(value, (_, item) => typeof item === "bigint" ? `${item}n` : item);

for (const [name, schema, valid] of cases) {
  test(`valibot check: ${name}: what it passes, Valibot returns unchanged`, () => {
    const check = compileCheck(schema);
    assert.ok(check, "the schema compiles");
    let passed = 0;
    let refused = 0;
    for (const value of valid) {
      assert.equal(check(value), true, `a valid ${name} is passed: ${String(value)}`);
      for (const variant of variants(value)) {
        const result = v.safeParse(schema, variant);
        if (check(variant)) {
          passed++;
          assert.ok(result.success, `passed but Valibot refuses: ${show(variant)}`);
          assert.deepStrictEqual(result.output, withoutExtras(variant));
        } else refused++;
      }
    }
    assert.ok(passed > 0 && refused > 0, `${passed} passed and ${refused} refused`);
  });
}

test("valibot check: refusals of Valibot are refused too, so issues come from Valibot", () => {
  for (const [, schema, valid] of cases) {
    const check = compileCheck(schema)!;
    for (const value of valid) {
      for (const variant of variants(value)) {
        if (!v.safeParse(schema, variant).success) assert.equal(check(variant), false);
      }
    }
  }
});

test("valibot check: defaults and fallbacks are left to Valibot", () => {
  const schema = v.object({
    status: v.optional(v.string(), "new"),
    level: v.nullish(v.number(), 1),
    note: v.fallback(v.optional(v.string()), "none"),
    tag: v.exactOptional(v.string(), "t"),
  });
  const check = compileCheck(schema)!;
  assert.equal(check({ status: "s", level: 2, note: "n", tag: "x" }), true);
  for (
    const value of [
      { level: 2, note: "n", tag: "x" },
      { status: "s", level: null, note: "n", tag: "x" },
      { status: "s", level: 2, tag: "x" },
      { status: "s", level: 2, note: 5, tag: "x" },
      { status: "s", level: 2, note: "n" },
    ]
  ) {
    assert.equal(check(value), false, show(value));
    assert.ok(v.safeParse(schema, value).success);
  }
});

test("valibot check: a missing key is refused even where undefined is allowed", () => {
  const check = compileCheck(v.object({ any: v.unknown(), maybe: v.optional(v.string()) }))!;
  assert.equal(check({ any: undefined }), true);
  assert.equal(check({}), false);
});

test("valibot check: union options are taken in Valibot's order", () => {
  // The first option would change the value (its default), so the second's pass is not trusted.
  const schema = v.union([v.object({ a: v.optional(v.string(), "d") }), v.object({})]);
  assert.equal(compileCheck(schema)!({}), false);
  assert.deepEqual(v.parse(schema, {}), { a: "d" });
});

test("valibot check: transformations and async schemas leave the whole schema to Valibot", () => {
  assert.equal(compileCheck(v.object({ n: v.pipe(v.string(), v.toUpperCase()) })), undefined);
  assert.equal(compileCheck(v.object({ n: v.pipe(v.string(), v.transform(Number)) })), undefined);
  assert.equal(compileCheck(v.objectAsync({ n: v.string() })), undefined);
  assert.equal(compileCheck(v.object({ f: v.function() })), undefined);
});

test("valibot check: without generated code, closures decide the same", () => {
  cases.forEach(([name, schema, valid]) => {
    const generated = compileCheck(schema)!;
    const closures = compileCheck(schema, { generate: false })!;
    for (const value of valid) {
      for (const variant of variants(value)) {
        assert.equal(closures(variant), generated(variant), `${name}: ${show(variant)}`);
      }
    }
  });
});
