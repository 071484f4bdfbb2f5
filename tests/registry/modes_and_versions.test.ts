/**
 * Modes and per-version deletes behave the same on the HTTP client (against
 * the real registry) and on the mock:// registry users test with.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { RegistryError } from "../../src/errors.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { MockSchemaRegistry } from "../../src/registry/mock_registry.ts";
import type { SchemaRegistry } from "../../src/registry/types.ts";
import { needsConfluent, registryKind } from "./registry_kind.ts";

const record = (fields: object[]) =>
  JSON.stringify({ type: "record", name: "R", namespace: "flowodm.modes", fields });
const v1 = record([{ name: "id", type: "string" }]);
const v2 = record([{ name: "id", type: "string" }, { name: "n", type: "int", default: 0 }]);
const v3 = record([{ name: "id", type: "string" }, { name: "m", type: "int", default: 0 }]);

const isRegistryError = (status: number, code: number) => (e: unknown) =>
  e instanceof RegistryError && e.status === status && e.errorCode === code;

const registries: [string, () => SchemaRegistry][] = [
  ["real registry", () => new SchemaRegistryClient({ url: registryUrl() })],
  ["mock registry", () => new MockSchemaRegistry(`mock://${uniqueName("modes")}`)],
];

/**
 * Apicurio stores a READONLY mode but accepts new schemas anyway; mock:// and
 * Confluent's registry refuse them.
 */
const readOnlySkip = (label: string) =>
  label === "mock registry" ? false : needsConfluent("READONLY enforcement");

/**
 * The answer to a permanent delete before a soft one: Confluent (and mock://)
 * 404/40407, Apicurio 409/40407.
 */
const notSoftDeletedStatus = (label: string) =>
  label === "real registry" && registryKind === "apicurio" ? 409 : 404;

for (const [label, open] of registries) {
  test(
    `${label}: subject modes are set, read and fall back to the global one`,
    { timeout: 60_000 },
    async () => {
      const registry = open();
      const subject = `${uniqueName("mode")}-value`;
      const other = `${uniqueName("mode-other")}-value`;
      // The shared registry's global mode is read and set to what it is; other helpers' tests use it.
      assert.equal(await registry.mode(), "READWRITE");
      await registry.setMode("READWRITE");
      assert.equal(await registry.mode(), "READWRITE");
      await registry.register(subject, v1);
      await registry.setMode("READONLY", subject);
      assert.equal(await registry.mode(subject), "READONLY");
      assert.equal(await registry.mode(other), "READWRITE", "no mode of its own: the global one");
      await registry.register(other, v2); // others are unaffected
      await registry.setMode("IMPORT", subject);
      assert.equal(await registry.mode(subject), "IMPORT");
      await registry.setMode("READWRITE", subject);
      assert.equal(await registry.mode(subject), "READWRITE");
      await registry.register(subject, v2);
      assert.deepEqual(await registry.versions(subject), [1, 2]);
    },
  );

  test(`${label}: READONLY refuses new schemas [Confluent or mock only]`, {
    skip: readOnlySkip(label),
    timeout: 60_000,
  }, async () => {
    const registry = open();
    const subject = `${uniqueName("readonly")}-value`;
    await registry.register(subject, v1);
    await registry.setMode("READONLY", subject);
    await assert.rejects(registry.register(subject, v2), isRegistryError(422, 42205));
    await registry.setMode("READWRITE", subject);
    await registry.register(subject, v2);
    assert.deepEqual(await registry.versions(subject), [1, 2]);
  });

  test(
    `${label}: versions delete one at a time, soft then permanent`,
    { timeout: 60_000 },
    async () => {
      const registry = open();
      const subject = `${uniqueName("version-delete")}-value`;
      await registry.setCompatibility("NONE", subject);
      const id1 = await registry.register(subject, v1);
      await registry.register(subject, v2);
      await registry.register(subject, v3);
      assert.equal(await registry.deleteSchemaVersion(subject, 1), 1);
      assert.deepEqual(await registry.versions(subject), [2, 3]);
      assert.deepEqual(await registry.versions(subject, { deleted: true }), [1, 2, 3]);
      await assert.rejects(registry.version(subject, 1), isRegistryError(404, 40402));
      // The id lives on: messages written with it still decode.
      assert.deepEqual(JSON.parse(await registry.schemaById(id1)).fields, JSON.parse(v1).fields);
      assert.equal(await registry.deleteSchemaVersion(subject, "latest"), 3);
      assert.equal((await registry.version(subject, "latest")).version, 2);
      // Permanent needs a soft delete first.
      await assert.rejects(
        registry.deleteSchemaVersion(subject, 2, { permanent: true }),
        isRegistryError(notSoftDeletedStatus(label), 40407),
      );
      assert.equal(await registry.deleteSchemaVersion(subject, 1, { permanent: true }), 1);
      assert.deepEqual(await registry.versions(subject, { deleted: true }), [2, 3]);
      await assert.rejects(registry.deleteSchemaVersion(subject, 9), isRegistryError(404, 40402));
    },
  );
}

test(
  "an unknown schema id costs one request until its TTL passes",
  { timeout: 60_000 },
  async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const registry = new SchemaRegistryClient({
      url: registryUrl(),
      fetch: counting,
      unknownIdTtlMs: 200,
    });
    const unknown = 1_900_000_000 + Math.floor(Math.random() * 1000);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(registry.schemaById(unknown), isRegistryError(404, 40403));
    }
    assert.equal(requests, 1);
    await assert.rejects(registry.schemaById(unknown + 1), isRegistryError(404, 40403));
    assert.equal(requests, 2, "another id is asked for");
    await new Promise((resolve) => setTimeout(resolve, 250));
    await assert.rejects(registry.schemaById(unknown), isRegistryError(404, 40403));
    assert.equal(requests, 3, "asked again after the TTL");
    // Known ids are unaffected.
    const id = await registry.register(`${uniqueName("known")}-value`, v1);
    requests = 0;
    assert.deepEqual(JSON.parse(await registry.schemaById(id)), JSON.parse(v1));
    assert.equal(requests, 0, "registered ids are cached");
  },
);
