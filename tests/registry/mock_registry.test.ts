/** The mock:// registry: same answers as the real one for the same requests, scopes shared and isolated. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { RegistryError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { MockSchemaRegistry } from "../../src/registry/mock_registry.ts";
import type { SchemaRegistry } from "../../src/registry/types.ts";

const record = (fields: object[]) => JSON.stringify({ type: "record", name: "R", fields });
const base = record([{ name: "id", type: "string" }]);
const optional = record([{ name: "id", type: "string" }, { name: "n", type: "int", default: 0 }]);
const required = record([{ name: "id", type: "string" }, { name: "n", type: "int" }]);
const dropped = record([]);

/** The verdicts a registry gives for each candidate after `base`, per level. */
async function verdicts(registry: SchemaRegistry, subject: string) {
  await registry.register(subject, base);
  const out: Record<string, boolean> = {};
  for (const level of ["BACKWARD", "FORWARD", "FULL", "NONE"] as const) {
    for (const [name, schema] of Object.entries({ optional, required, dropped })) {
      out[`${level}/${name}`] =
        (await registry.testCompatibility(subject, schema, { level })).isCompatible;
    }
  }
  return out;
}

test("the mock decides compatibility as the real registry does", { timeout: 60_000 }, async () => {
  const real = await verdicts(
    new SchemaRegistryClient({ url: registryUrl() }),
    `${uniqueName("parity")}-value`,
  );
  const mock = await verdicts(new MockSchemaRegistry(`mock://${uniqueName("parity")}`), "s-value");
  assert.deepEqual(mock, real);
  assert.equal(real["BACKWARD/required"], false, "the cases include refusals");
  assert.equal(real["FORWARD/required"], true);
});

test("register, look up, version, enforce the level, delete soft then permanent", {
  timeout: 60_000,
}, async () => {
  const url = `mock://${uniqueName("crud")}`;
  const registry = new MockSchemaRegistry(url);
  const id = await registry.register("s", base);
  assert.equal(await registry.register("s", base), id);
  assert.equal(
    await new MockSchemaRegistry(url).schemaById(id),
    await registry.schemaById(id),
    "scope shared",
  );
  await assert.rejects(
    new MockSchemaRegistry(`mock://${uniqueName("other")}`).schemaById(id),
    RegistryError,
  );
  await assert.rejects(
    registry.register("s", required),
    (e: unknown) => e instanceof RegistryError && e.status === 409,
  );
  assert.equal((await registry.version("s", "latest")).version, 1);
  assert.equal((await registry.lookup("s", base))?.id, id);
  await assert.rejects(registry.deleteSubject("s", { permanent: true }), RegistryError);
  assert.deepEqual(await registry.deleteSubject("s"), [1]);
  assert.deepEqual(await registry.subjects(), []);
  assert.deepEqual(await registry.deleteSubject("s", { permanent: true }), [1]);
  await assert.rejects(
    registry.version("s", "latest"),
    (e: unknown) => e instanceof RegistryError && e.errorCode === 40401,
  );
});

test("a model encodes and decodes on a mock:// registry", { timeout: 60_000 }, async () => {
  const Event = defineModel("Event", v.object({ id: v.string(), at: v.date() }), {
    topic: "events",
    connection: new Connection({ schemaRegistryUrl: `mock://${uniqueName("model")}` }),
  });
  const value = { id: "e1", at: new Date(5) };
  assert.deepEqual(await Event.decode(await Event.encode(value)), value);
  assert.ok(Event.connection.registry() instanceof MockSchemaRegistry);
});
