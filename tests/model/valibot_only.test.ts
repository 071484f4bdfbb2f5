/**
 * defineModel takes Valibot object schemas and says so in its types; a schema of another Standard
 * Schema library is a ConfigError naming it (it used to type-check and then fail with
 * "Cannot convert undefined or null to object").
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { ConfigError, SchemaError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";

// What Zod 3.24+ (and other Standard Schema libraries) put on their schemas: no Valibot internals.
const zodLike = {
  "~standard": {
    version: 1 as const,
    vendor: "zod",
    validate: (value: unknown) => ({ value }),
    types: undefined as unknown as { input: { id: string }; output: { id: string } },
  },
  _def: { typeName: "ZodObject" },
  shape: { id: {} },
};

test("a Zod-style Standard Schema is refused with a ConfigError naming its library", {
  timeout: 60_000,
}, () => {
  assert.throws(
    // @ts-expect-error: not a Valibot schema
    () => defineModel("Order", zodLike, { topic: "orders" }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /the schema of model Order is a schema of "zod"/.test(e.message) &&
      /Valibot object schemas/.test(e.message),
  );
  assert.throws(
    () =>
      defineModel("Order", v.object({ id: v.string() }), {
        topic: "orders",
        // @ts-expect-error: not a Valibot schema
        keySchema: zodLike,
      }),
    (e: unknown) => e instanceof ConfigError && /the keySchema of model Order/.test(e.message),
  );
  // @ts-expect-error: not a schema at all
  assert.throws(() => defineModel("Order", null, { topic: "orders" }), ConfigError);
});

test(
  "a Valibot schema that is not an object is refused with a SchemaError",
  { timeout: 60_000 },
  () => {
    assert.throws(
      () => defineModel("Name", v.string(), { topic: "names" }),
      (e: unknown) => e instanceof SchemaError && /must be a v.object\(\)/.test(e.message),
    );
  },
);

test("object schemas of every kind, piped or not, are taken", { timeout: 60_000 }, () => {
  for (
    const schema of [
      v.object({ id: v.string() }),
      v.strictObject({ id: v.string() }),
      v.looseObject({ id: v.string() }),
      v.pipe(v.object({ id: v.string() }), v.title("Order")),
    ]
  ) {
    assert.equal(defineModel("Order", schema, { topic: "orders" }).subject, "orders-value");
  }
});
