/**
 * Values that must cross exactly: decimals (as strings, in bytes and fixed),
 * 64-bit longs (bigint fields), timestamps, and what is refused with a clear
 * error instead of being rounded. Through the real registry.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { DeserializationError, SchemaError, SerializationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { modelFromAvro } from "../../src/model/model_from_avro.ts";
import { decimalFromBytes, decimalToBytes } from "../../src/avro/decimal.ts";

const connection = () => new Connection({ schemaRegistryUrl: registryUrl() });

const decimal = (precision: number, scale: number) =>
  v.pipe(v.string(), v.metadata({ avro: { logicalType: "decimal", precision, scale } }));

const Ledger = v.object({
  id: v.string(),
  amount: decimal(12, 2),
  rate: v.pipe(
    v.string(),
    v.metadata({
      avro: {
        type: "fixed",
        name: "Rate",
        size: 4,
        logicalType: "decimal",
        precision: 9,
        scale: 6,
      },
    }),
  ),
  whole: decimal(38, 0),
  big: v.bigint(),
  maybeBig: v.nullable(v.bigint()),
  defaulted: v.optional(v.bigint(), 7n),
  count: v.pipe(v.number(), v.integer()),
});

function ledgerModel() {
  return defineModel("Ledger", Ledger, {
    topic: uniqueName("exact"),
    namespace: "com.example.exact",
    connection: connection(),
  });
}

test("decimal strings map to two's-complement unscaled bytes and back", { timeout: 60_000 }, () => {
  const shape = { precision: 9, scale: 2 };
  const cases: [string, number[], string][] = [
    ["0", [0], "0.00"],
    ["1.5", [0x00, 0x96], "1.50"], // 150
    ["-1.28", [0x80], "-1.28"], // -128 fits one byte
    ["1.28", [0x00, 0x80], "1.28"], // 128 needs a sign byte
    ["-0.01", [0xff], "-0.01"],
    ["+12345.67", [0x12, 0xd6, 0x87], "12345.67"],
    ["-0000.10", [0xf6], "-0.10"],
  ];
  for (const [text, bytes, back] of cases) {
    assert.deepEqual([...decimalToBytes(text, shape)], bytes, text);
    assert.equal(decimalFromBytes(new Uint8Array(bytes), shape), back, text);
  }
  // A fixed sign-extends to its size.
  assert.deepEqual([...decimalToBytes("-0.01", { ...shape, size: 4 })], [255, 255, 255, 255]);
  assert.deepEqual([...decimalToBytes("0.02", { ...shape, size: 3 })], [0, 0, 2]);
  assert.equal(
    decimalFromBytes(new Uint8Array([255, 255, 255, 254]), { ...shape, size: 4 }),
    "-0.02",
  );
  assert.equal(decimalFromBytes(new Uint8Array([]), shape), "0.00");
  const refused: [unknown, RegExp][] = [
    ["1.234", /scale is 2/],
    ["12345678.9", /precision is 9/],
    ["1e5", /not a decimal string/],
    ["", /not a decimal string/],
    [" 1", /not a decimal string/],
    [12.5, /not a decimal string/],
    ["-0.00", /negative zero/],
    ["-0", /negative zero/],
  ];
  for (const [input, reason] of refused) {
    assert.throws(() => decimalToBytes(input, shape), reason, String(input));
  }
  assert.throws(() => decimalToBytes("9999999.99", { ...shape, size: 3 }), /fixed size of 3/);
  // Bytes holding more digits than the precision are not this decimal.
  assert.throws(
    () => decimalFromBytes(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 0xff]), shape),
    /precision/,
  );
  assert.throws(() => decimalFromBytes(new Uint8Array(64), shape), /too many/);
});

test(
  "decimals, fixed decimals and 64-bit bigints round-trip exactly",
  { timeout: 60_000 },
  async () => {
    const Model = ledgerModel();
    const values = [
      {
        id: "max",
        amount: "9999999999.99",
        rate: "999.999999",
        whole: "9".repeat(38),
        big: 2n ** 63n - 1n,
        maybeBig: -(2n ** 63n),
        defaulted: 2n ** 53n + 1n,
        count: Number.MAX_SAFE_INTEGER,
      },
      {
        id: "min",
        amount: "-9999999999.99",
        rate: "-999.999999",
        whole: "-" + "9".repeat(38),
        big: -(2n ** 63n),
        maybeBig: null,
        defaulted: 0n,
        count: Number.MIN_SAFE_INTEGER,
      },
    ];
    for (const value of values) {
      assert.deepEqual(await Model.decode(await Model.encode(value)), value);
    }
    const short = { ...values[0], amount: "5", rate: "0.5", whole: "0" };
    const { defaulted: _, ...withoutDefault } = short;
    assert.deepEqual(await Model.decode(await Model.encode(withoutDefault as never)), {
      ...short,
      amount: "5.00",
      rate: "0.500000",
      defaulted: 7n,
    });
    // The registered schema is plain Avro: longs and decimals as every client knows them.
    const fields = (Model.avroSchema as { fields: { name: string; type: unknown }[] }).fields;
    const typeOf = (name: string) => fields.find((f) => f.name === name)!.type;
    assert.equal(typeOf("big"), "long");
    assert.deepEqual(typeOf("maybeBig"), ["null", "long"]);
    assert.deepEqual(typeOf("amount"), {
      type: "bytes",
      logicalType: "decimal",
      precision: 12,
      scale: 2,
    });
    assert.deepEqual(typeOf("rate"), {
      type: "fixed",
      name: "Rate",
      size: 4,
      logicalType: "decimal",
      precision: 9,
      scale: 6,
    });
  },
);

test("values a field cannot hold exactly are refused with what to do, never rounded", {
  timeout: 60_000,
}, async () => {
  const Model = ledgerModel();
  const good = {
    id: "x",
    amount: "1.00",
    rate: "0.1",
    whole: "1",
    big: 1n,
    maybeBig: null,
    count: 1,
  };
  const refused: [object, RegExp][] = [
    [{ amount: "1.001" }, /scale is 2.*\(at amount\)/],
    [{ amount: "12345678901.00" }, /precision is 12.*\(at amount\)/],
    [{ rate: "1000.0" }, /precision is 9.*\(at rate\)/],
    [{ whole: "1".repeat(39) }, /precision is 38/],
    [{ count: 2 ** 60 }, /invalid "long".*\(at count\).*v\.bigint\(\)/],
    [{ count: 2 ** 53 }, /invalid "long"/],
    // An Avro decimal is an integer: a negative zero would be read back as "0.00".
    [{ amount: "-0.00" }, /negative zero.*"0\.00".*\(at amount\)/],
    [{ whole: "-0" }, /negative zero/],
  ];
  for (const [patch, reason] of refused) {
    await assert.rejects(
      Model.encode({ ...good, ...patch } as never),
      (e: unknown) => e instanceof SerializationError && reason.test(e.message),
      JSON.stringify(patch),
    );
  }
  // A long beyond 2^53 written by a bigint model and read by a number model is refused, not rounded.
  const topic = uniqueName("exact-narrow");
  const settings = { topic, namespace: "n", connection: connection() };
  const Wide = defineModel("Counter", v.object({ n: v.bigint() }), settings);
  const Narrow = defineModel("Counter", v.object({ n: v.pipe(v.number(), v.integer()) }), settings);
  const bytes = await Wide.encode({ n: 2n ** 60n });
  await assert.rejects(
    Narrow.decode(bytes),
    (e: unknown) => e instanceof DeserializationError && /precision/.test(e.message),
  );
  assert.deepEqual(await Narrow.decode(await Wide.encode({ n: 2n ** 40n })), { n: 2 ** 40 });
  assert.deepEqual(await Wide.decode(await Narrow.encode({ n: -5 })), { n: -5n });
});

test(
  "decimal metadata belongs on a string with a valid precision and scale",
  { timeout: 60_000 },
  () => {
    const bad = [
      v.pipe(v.number(), v.metadata({ avro: { logicalType: "decimal", precision: 4, scale: 2 } })),
      v.pipe(v.bigint(), v.metadata({ avro: { logicalType: "decimal", precision: 4 } })),
      v.pipe(v.string(), v.metadata({ avro: { logicalType: "decimal", precision: 2, scale: 3 } })),
      v.pipe(v.string(), v.metadata({ avro: { logicalType: "decimal" } })),
      v.pipe(
        v.string(),
        v.metadata({ avro: { type: "fixed", logicalType: "decimal", precision: 4 } }),
      ),
    ];
    for (const field of bad) {
      assert.throws(
        () => defineModel("D", v.object({ d: field }), { topic: "t" }),
        (e: unknown) => e instanceof SchemaError && e.path === "d",
      );
    }
  },
);

test("timestamps round-trip as Dates and an older writer resolves with defaults", {
  timeout: 60_000,
}, async () => {
  const topic = uniqueName("exact-dates");
  const settings = { topic, namespace: "d", connection: connection() };
  const Old = defineModel("Event", v.object({ id: v.string(), at: v.date() }), settings);
  const at = new Date(1_700_000_000_123);
  const bytes = await Old.encode({ id: "a", at });
  assert.deepEqual(await Old.decode(bytes), { id: "a", at });
  const New = defineModel(
    "Event",
    v.object({
      id: v.string(),
      at: v.date(),
      micros: v.optional(
        v.pipe(v.date(), v.metadata({ avro: { logicalType: "timestamp-micros" } })),
        () => new Date(5),
      ),
      note: v.optional(v.string(), "none"),
    }),
    settings,
  );
  assert.deepEqual(await New.decode(bytes), { id: "a", at, micros: new Date(5), note: "none" });
  const later = new Date(1_800_000_000_456);
  assert.deepEqual(
    await New.decode(await New.encode({ id: "b", at, micros: later, note: "x" })),
    { id: "b", at, micros: later, note: "x" },
  );
});

test(
  "a decimal model derived from the registry reads the original's values",
  { timeout: 60_000 },
  async () => {
    const Model = ledgerModel();
    const value = {
      id: "d",
      amount: "-0.05",
      rate: "3.141592",
      whole: "123",
      big: 5n,
      maybeBig: 6n,
      defaulted: 8n,
      count: 9,
    };
    const bytes = await Model.encode(value);
    const Derived = modelFromAvro(Model.avroSchema, { ...Model.settings });
    // Longs derive to numbers: a derived model holds them exactly up to 2^53 and refuses beyond.
    assert.deepEqual(await Derived.decode(bytes), {
      ...value,
      big: 5,
      maybeBig: 6,
      defaulted: 8,
      whole: "123",
    });
  },
);

test("number longs are exact to 2^53 in both directions (avsc alone flips signs past -2^52)", {
  timeout: 60_000,
}, async () => {
  const settings = { topic: uniqueName("exact-edge"), namespace: "e", connection: connection() };
  const Numbers = defineModel("Edge", v.object({ n: v.pipe(v.number(), v.integer()) }), settings);
  const Bigints = defineModel("Edge", v.object({ n: v.bigint() }), settings);
  for (const n of [-(2 ** 52) - 1, -(2 ** 53) + 1, 2 ** 52 + 1, -(2 ** 52), -3, 0, 2 ** 30]) {
    const ours = await Numbers.encode({ n });
    assert.deepEqual(await Bigints.decode(ours), { n: BigInt(n) }, String(n));
    assert.deepEqual(
      await Numbers.decode(await Bigints.encode({ n: BigInt(n) })),
      { n },
      String(n),
    );
    assert.deepEqual(await Numbers.decode(ours), { n }, String(n));
  }
});

test("decimal defaults are written as Avro bytes defaults and read back as decimal strings", {
  timeout: 60_000,
}, async () => {
  const settings = { topic: uniqueName("exact-default"), namespace: "f", connection: connection() };
  const Old = defineModel("Fee", v.object({ id: v.string() }), settings);
  const New = defineModel(
    "Fee",
    v.object({ id: v.string(), fee: v.optional(decimal(6, 2), "-1.5") }),
    settings,
  );
  const field = (New.avroSchema as { fields: { name: string; default?: unknown }[] }).fields[1];
  assert.equal(field.default, "\u00ff\u006a"); // -150 (0xff6a) as two's-complement bytes, one char each
  assert.deepEqual(await New.decode(await Old.encode({ id: "a" })), { id: "a", fee: "-1.50" });
  const Derived = modelFromAvro(New.avroSchema, settings);
  assert.deepEqual(Derived.parse({ id: "b" }), { id: "b", fee: "-1.50" });
  assert.deepEqual(Derived.avroSchema, New.avroSchema);
  assert.throws(
    () => defineModel("Fee", v.object({ fee: v.optional(decimal(3, 2), "12.5") }), settings),
    (e: unknown) => e instanceof SchemaError && /bad decimal default/.test(e.message),
  );
});

test("useLatestVersion writes bigint and number longs with a schema the model did not generate", {
  timeout: 60_000,
}, async () => {
  const settings = { topic: uniqueName("exact-latest"), namespace: "l", connection: connection() };
  const Latest = defineModel(
    "Tally",
    v.object({ id: v.string(), n: v.bigint(), m: v.bigint(), note: v.nullish(v.string()) }),
    settings,
  );
  await Latest.registerSchema();
  const Older = defineModel(
    "Tally",
    v.object({ id: v.string(), n: v.bigint(), m: v.pipe(v.number(), v.integer()) }),
    { ...settings, useLatestVersion: true },
  );
  const bytes = await Older.encode({ id: "a", n: -(2n ** 63n), m: -(2 ** 53) + 1 });
  assert.deepEqual(await Latest.decode(bytes), {
    id: "a",
    n: -(2n ** 63n),
    m: -(2n ** 53n) + 1n,
    note: null,
  });
  await assert.rejects(
    Older.encode({ id: "b", n: 1n, m: 2 ** 60 }),
    (e: unknown) => e instanceof SerializationError && /\(at m\)/.test(e.message),
  );
});
