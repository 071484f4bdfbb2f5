/** The HTTP client against the stack's real Schema Registry. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { RegistryError } from "../../src/errors.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

const record = (fields: object[]) =>
  JSON.stringify({ type: "record", name: "R", namespace: "flowodm.test", fields });
const v1 = record([{ name: "id", type: "string" }]);
const v2 = record([{ name: "id", type: "string" }, { name: "n", type: "int", default: 0 }]);
const breaking = record([{ name: "id", type: "string" }, { name: "n", type: "int" }]);

test("registers, looks up, reads by id, version and latest, lists subjects and versions", {
  timeout: 60_000,
}, async () => {
  const registry = new SchemaRegistryClient({ url: registryUrl() });
  const subject = `${uniqueName("client")}-value`;
  const id1 = await registry.register(subject, v1);
  assert.equal(await registry.register(subject, v1), id1, "same schema, same id");
  const id2 = await registry.register(subject, v2);
  assert.notEqual(id2, id1);
  assert.deepEqual(JSON.parse(await registry.schemaById(id1)), JSON.parse(v1));
  const latest = await registry.version(subject, "latest");
  assert.deepEqual([latest.subject, latest.version, latest.id], [subject, 2, id2]);
  assert.equal((await registry.version(subject, 1)).id, id1);
  assert.equal((await registry.lookup(subject, v2))?.version, 2);
  assert.equal(await registry.lookup(subject, breaking), undefined);
  assert.deepEqual(await registry.versions(subject), [1, 2]);
  assert.ok((await registry.subjects({ prefix: subject })).includes(subject));
});

test("compatibility levels: set, read, enforced on register, tested at any level and restored", {
  timeout: 60_000,
}, async () => {
  const registry = new SchemaRegistryClient({ url: registryUrl() });
  const subject = `${uniqueName("compat")}-value`;
  await registry.register(subject, v1);
  await registry.setCompatibility("BACKWARD", subject);
  assert.equal(await registry.compatibility(subject), "BACKWARD");
  await assert.rejects(
    registry.register(subject, breaking),
    (e: unknown) => e instanceof RegistryError && e.status === 409 && e.subject === subject,
  );
  const backward = await registry.testCompatibility(subject, breaking);
  assert.equal(backward.isCompatible, false);
  // Its reasons are Confluent's alone (Apicurio gives none): see confluent_answers.test.ts.
  // Adding a required field is FORWARD compatible: old readers ignore it.
  const forward = await registry.testCompatibility(subject, breaking, { level: "FORWARD" });
  assert.deepEqual(forward, { isCompatible: true, messages: [] });
  assert.equal(
    await registry.compatibility(subject),
    "BACKWARD",
    "the subject's level is restored",
  );
  const fresh = await registry.testCompatibility(`${uniqueName("none")}-value`, breaking);
  assert.equal(fresh.isCompatible, true, "nothing registered, nothing to break");
});

test("soft then permanent delete, and typed errors with status and Confluent code", {
  timeout: 60_000,
}, async () => {
  const registry = new SchemaRegistryClient({ url: registryUrl() });
  const subject = `${uniqueName("delete")}-value`;
  await registry.register(subject, v1);
  await assert.rejects(registry.deleteSubject(subject, { permanent: true }), RegistryError);
  assert.deepEqual(await registry.deleteSubject(subject), [1]);
  assert.ok(!(await registry.subjects()).includes(subject));
  assert.ok((await registry.subjects({ deleted: true })).includes(subject));
  assert.deepEqual(await registry.deleteSubject(subject, { permanent: true }), [1]);
  await assert.rejects(
    registry.version(subject, "latest"),
    (e: unknown) => e instanceof RegistryError && e.status === 404 && e.errorCode === 40401,
  );
  await assert.rejects(
    registry.schemaById(987654321),
    (e: unknown) => e instanceof RegistryError && e.errorCode === 40403,
  );
  await assert.rejects(
    registry.register(subject, "{not json"),
    (e: unknown) => e instanceof RegistryError && e.status === 422,
  );
});

test(
  "retries 5xx answers with backoff, then gives up with a RegistryError",
  { timeout: 60_000 },
  async () => {
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls++;
      return calls <= 2
        ? Promise.resolve(new Response("busy", { status: 503 }))
        : fetch(input, init);
    };
    const registry = new SchemaRegistryClient({ url: registryUrl(), fetch: flaky });
    assert.ok(Array.isArray(await registry.subjects()));
    assert.equal(calls, 3);
    const down = new SchemaRegistryClient({
      url: "http://127.0.0.1:9",
      retries: 1,
      timeoutMs: 2000,
    });
    await assert.rejects(
      down.subjects(),
      (e: unknown) =>
        e instanceof RegistryError && e.status === undefined && /did not answer/.test(e.message),
    );
  },
);

test(
  "credentials go in the Authorization header and never into errors",
  { timeout: 60_000 },
  async () => {
    let seen: string | null = null;
    const spy: typeof fetch = (_input, init) => {
      seen = new Headers(init?.headers).get("Authorization");
      return Promise.resolve(
        new Response('{"error_code":40101,"message":"Unauthorized"}', { status: 401 }),
      );
    };
    const registry = new SchemaRegistryClient({
      url: registryUrl(),
      basicAuth: "key:s3cret",
      fetch: spy,
    });
    await assert.rejects(
      registry.subjects(),
      (e: unknown) =>
        e instanceof RegistryError && e.status === 401 && !String(e.message).includes("s3cret"),
    );
    assert.equal(seen, `Basic ${btoa("key:s3cret")}`);
  },
);
