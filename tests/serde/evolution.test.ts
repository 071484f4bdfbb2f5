/**
 * Avro schema resolution through the real registry: promoted types, added and
 * removed fields, transitive levels, and refusals that say what went wrong.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { DeserializationError, RegistryError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { modelFromAvro } from "../../src/model/model_from_avro.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import type { CompatibilityLevel } from "../../src/registry/types.ts";

const connection = () => new Connection({ schemaRegistryUrl: registryUrl() });

function subjectAt(prefix: string) {
  return { topic: uniqueName(prefix), connection: connection() };
}

async function setLevel(topic: string, level: CompatibilityLevel) {
  await new SchemaRegistryClient({ url: registryUrl() }).setCompatibility(level, `${topic}-value`);
}

test(
  "a reader promotes int to long, float to double and long to double",
  { timeout: 60_000 },
  async () => {
    const { topic, connection: conn } = subjectAt("promote");
    const settings = { topic, connection: conn };
    const Writer = modelFromAvro({
      type: "record",
      name: "Reading",
      namespace: "com.example.evolution",
      fields: [
        { name: "id", type: "string" },
        { name: "count", type: "int" },
        { name: "ratio", type: "float" },
        { name: "total", type: "long" },
      ],
    }, settings);
    await Writer.registerSchema();
    await setLevel(topic, "BACKWARD");
    const Reader = defineModel(
      "Reading",
      v.object({
        id: v.string(),
        count: v.pipe(v.number(), v.integer()),
        ratio: v.number(),
        total: v.number(),
      }),
      { ...settings, namespace: "com.example.evolution" },
    );
    const fields = (Reader.avroSchema as { fields: { type: unknown }[] }).fields;
    assert.deepEqual(fields.map((f) => f.type), [
      "string",
      "long",
      "double",
      "double",
    ]);
    const written = await Writer.encode({ id: "r1", count: 7, ratio: 1.5, total: 9_007_199_254 });
    assert.deepEqual(await Reader.decode(written), {
      id: "r1",
      count: 7,
      ratio: 1.5,
      total: 9_007_199_254,
    });
    // The registry accepted the promoted schema as a BACKWARD-compatible version 2.
    const readerId = await Reader.registerSchema();
    const client = new SchemaRegistryClient({ url: registryUrl() });
    assert.equal((await client.version(`${topic}-value`, 2)).id, readerId);
  },
);

test("FULL: a field removed (it had a default) and a field added (with a default) read both ways", {
  timeout: 60_000,
}, async () => {
  const { topic, connection: conn } = subjectAt("full");
  const settings = { topic, connection: conn, namespace: "com.example.evolution" };
  const V1 = defineModel(
    "Account",
    v.object({ id: v.string(), legacy: v.optional(v.string(), "none") }),
    settings,
  );
  await V1.registerSchema();
  await setLevel(topic, "FULL");
  const V2 = defineModel(
    "Account",
    v.object({ id: v.string(), tier: v.optional(v.string(), "basic") }),
    settings,
  );
  const fromV1 = await V1.encode({ id: "a1", legacy: "old" });
  const fromV2 = await V2.encode({ id: "a2", tier: "gold" });
  assert.notDeepEqual(fromV1.subarray(1, 5), fromV2.subarray(1, 5), "two schema ids");
  assert.deepEqual(await V2.decode(fromV1), { id: "a1", tier: "basic" });
  assert.deepEqual(await V1.decode(fromV2), { id: "a2", legacy: "none" });
  assert.deepEqual(await V1.decode(fromV1), { id: "a1", legacy: "old" });
  assert.deepEqual(await V2.decode(fromV2), { id: "a2", tier: "gold" });
});

test("BACKWARD accepts what BACKWARD_TRANSITIVE refuses: a default dropped after two versions", {
  timeout: 60_000,
}, async () => {
  const v1 = v.object({ id: v.string() });
  const v2 = v.object({ id: v.string(), region: v.optional(v.string(), "eu") });
  const v3 = v.object({ id: v.string(), region: v.string() });
  for (const level of ["BACKWARD", "BACKWARD_TRANSITIVE"] as const) {
    const { topic, connection: conn } = subjectAt(`transitive-${level}`);
    const settings = { topic, connection: conn, namespace: "com.example.evolution" };
    const V1 = defineModel("Shop", v1, settings);
    const V2 = defineModel("Shop", v2, settings);
    const V3 = defineModel("Shop", v3, settings);
    await V1.registerSchema();
    await setLevel(topic, level);
    const fromV2 = await V2.encode({ id: "s2", region: "us" });
    if (level === "BACKWARD") {
      await V3.registerSchema();
      assert.deepEqual(await V3.decode(fromV2), { id: "s2", region: "us" });
      // V3 cannot read V1's bytes: region has no default. That is a typed decode failure.
      const fromV1 = await V1.encode({ id: "s1" });
      await assert.rejects(
        V3.decode(fromV1, { topic, partition: 0, offset: 5 }),
        (e: unknown) =>
          e instanceof DeserializationError && /region/.test(e.message) &&
          e.origin?.offset === 5,
      );
    } else {
      await assert.rejects(
        V3.encode({ id: "s3", region: "ap" }),
        (e: unknown) => e instanceof RegistryError && e.status === 409 && /region/.test(e.message),
      );
    }
  }
});

test(
  "FORWARD refuses removing a field old readers need, naming the field",
  { timeout: 60_000 },
  async () => {
    const { topic, connection: conn } = subjectAt("forward");
    const settings = { topic, connection: conn, namespace: "com.example.evolution" };
    const V1 = defineModel("User", v.object({ id: v.string(), email: v.string() }), settings);
    await V1.registerSchema();
    await setLevel(topic, "FORWARD");
    const V2 = defineModel("User", v.object({ id: v.string() }), settings);
    await assert.rejects(
      V2.encode({ id: "u1" }),
      (e: unknown) =>
        e instanceof RegistryError && e.status === 409 && /email/.test(e.message) &&
        e.subject === `${topic}-value`,
    );
    // An added optional field is fine under FORWARD, and old readers skip it.
    const V3 = defineModel(
      "User",
      v.object({ id: v.string(), email: v.string(), locale: v.optional(v.string(), "en") }),
      settings,
    );
    assert.deepEqual(await V1.decode(await V3.encode({ id: "u3", email: "e@x", locale: "fr" })), {
      id: "u3",
      email: "e@x",
    });
  },
);

test("bytes written with an unrelated schema are a DeserializationError naming the schema id", {
  timeout: 60_000,
}, async () => {
  const other = defineModel("Other", v.object({ flag: v.boolean() }), {
    topic: uniqueName("unrelated"),
    connection: connection(),
  });
  const bytes = await other.encode({ flag: true });
  const otherId = await other.registerSchema();
  const Mine = defineModel("Mine", v.object({ name: v.string() }), {
    topic: uniqueName("mine"),
    connection: connection(),
  });
  await assert.rejects(
    Mine.decode(bytes),
    (e: unknown) => e instanceof DeserializationError && e.message.includes(String(otherId)),
  );
});
