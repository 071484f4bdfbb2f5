/**
 * The client against Confluent's documented HTTP answers for what only
 * Confluent's registry does (verbose compatibility reasons, READONLY
 * enforcement, its 404 error codes), played back by a recorded `fetch`; and
 * the same behaviour live when SCHEMA_REGISTRY_URL is a Confluent registry
 * (skipped, naming that need, on the stack's Apicurio).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { RegistryError } from "../../src/errors.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { noSubjectLevel, recordedFetch, recordedUrl, subjectNotFound } from "./recorded_fetch.ts";
import { needsConfluent } from "./registry_kind.ts";

const record = (fields: object[]) =>
  JSON.stringify({ type: "record", name: "R", namespace: "flowodm.confluent", fields });
const v1 = record([{ name: "id", type: "string" }]);
const v2 = record([{ name: "id", type: "string" }, { name: "n", type: "int", default: 0 }]);
const breaking = record([{ name: "id", type: "string" }, { name: "n", type: "int" }]);

const isRegistryError = (status: number, code: number) => (e: unknown) =>
  e instanceof RegistryError && e.status === status && e.errorCode === code;

/** Confluent 7.x's verbose refusal of `breaking` after `v1` at BACKWARD. */
const verboseRefusal = [
  `Incompatibility{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:/fields/1, message:n, reader:${breaking}, writer:${v1}}`,
  "{oldSchemaVersion: 1}",
  `{oldSchema: '${v1}'}`,
  "{compatibility: 'BACKWARD'}",
];

function recordedClient(exchanges: Parameters<typeof recordedFetch>[0]) {
  const recording = recordedFetch(exchanges);
  const client = new SchemaRegistryClient({
    url: recordedUrl,
    fetch: recording.fetch,
    retries: 0,
  });
  return { client, done: recording.done };
}

test("recorded Confluent: verbose reasons, tested against the latest version at BACKWARD", {
  timeout: 60_000,
}, async () => {
  const { client, done } = recordedClient([
    { request: "GET /subjects/orders-value/versions", status: 200, body: [1] },
    { request: "GET /config/orders-value", status: 404, body: noSubjectLevel("orders-value") },
    { request: "GET /config", status: 200, body: { compatibilityLevel: "BACKWARD" } },
    {
      request: "POST /compatibility/subjects/orders-value/versions/latest?verbose=true",
      sent: { schema: breaking },
      status: 200,
      body: { is_compatible: false, messages: verboseRefusal },
    },
  ]);
  assert.deepEqual(await client.testCompatibility("orders-value", breaking), {
    isCompatible: false,
    messages: verboseRefusal,
  });
  done();
});

test("recorded Confluent: a transitive level is tested against every version, then restored", {
  timeout: 60_000,
}, async () => {
  const { client, done } = recordedClient([
    { request: "GET /subjects/orders-value/versions", status: 200, body: [1, 2] },
    { request: "GET /config/orders-value", status: 404, body: noSubjectLevel("orders-value") },
    {
      request: "PUT /config/orders-value",
      sent: { compatibility: "BACKWARD_TRANSITIVE" },
      status: 200,
      body: { compatibility: "BACKWARD_TRANSITIVE" },
    },
    {
      request: "POST /compatibility/subjects/orders-value/versions?verbose=true",
      status: 200,
      body: { is_compatible: true, messages: [] },
    },
    {
      request: "DELETE /config/orders-value",
      status: 200,
      body: { compatibilityLevel: "BACKWARD_TRANSITIVE" },
    },
  ]);
  const result = await client.testCompatibility("orders-value", v2, {
    level: "BACKWARD_TRANSITIVE",
  });
  assert.deepEqual(result, { isCompatible: true, messages: [] });
  done();
});

test("recorded answers: Apicurio 2's `reason` is the reason; Apicurio 3's bare refusal has none", {
  timeout: 60_000,
}, async () => {
  const refusal = (body: unknown) =>
    recordedClient([
      { request: "GET /subjects/s/versions", status: 200, body: [1] },
      { request: "GET /config/s", status: 200, body: { compatibilityLevel: "FULL" } },
      { request: "POST /compatibility/subjects/s/versions/latest?verbose=true", status: 200, body },
    ]);
  const reason = "Incompatible schema: field n has no default";
  const apicurio2 = refusal({ is_compatible: false, reason });
  assert.deepEqual(await apicurio2.client.testCompatibility("s", breaking), {
    isCompatible: false,
    messages: [reason],
  });
  apicurio2.done();
  const apicurio3 = refusal({ is_compatible: false });
  assert.deepEqual(await apicurio3.client.testCompatibility("s", breaking), {
    isCompatible: false,
    messages: [],
  });
  apicurio3.done();
});

test("recorded Confluent: READONLY refuses a new schema with 422/42205, naming the subject", {
  timeout: 60_000,
}, async () => {
  const { client, done } = recordedClient([
    {
      request: "POST /subjects/orders-value/versions",
      status: 422,
      body: { error_code: 42205, message: "Subject orders-value is in read-only mode" },
    },
  ]);
  await assert.rejects(
    client.register("orders-value", v2),
    (e: unknown) =>
      isRegistryError(422, 42205)(e) && (e as RegistryError).subject === "orders-value" &&
      /read-only mode/.test((e as Error).message),
  );
  done();
});

test(
  "recorded Confluent: 40401, 40402, 40403 and 40407 are typed 404 errors",
  { timeout: 60_000 },
  async () => {
    const { client, done } = recordedClient([
      { request: "POST /subjects/gone", status: 404, body: subjectNotFound("gone") },
      { request: "GET /subjects/gone/versions/latest", status: 404, body: subjectNotFound("gone") },
      {
        request: "GET /subjects/s/versions/9",
        status: 404,
        body: { error_code: 40402, message: "Version 9 not found." },
      },
      {
        request: "GET /schemas/ids/987654",
        status: 404,
        body: { error_code: 40403, message: "Schema 987654 not found" },
      },
      {
        request: "DELETE /subjects/s/versions/2?permanent=true",
        status: 404,
        body: {
          error_code: 40407,
          message: "Subject 's' Version 2 was not deleted first before being permanently deleted",
        },
      },
      // Nothing registered: nothing to be incompatible with, and no compatibility request.
      { request: "GET /subjects/gone/versions", status: 404, body: subjectNotFound("gone") },
    ]);
    assert.equal(await client.lookup("gone", v1), undefined, "40401 on lookup: not there");
    await assert.rejects(client.version("gone", "latest"), isRegistryError(404, 40401));
    await assert.rejects(client.version("s", 9), isRegistryError(404, 40402));
    await assert.rejects(client.schemaById(987654), isRegistryError(404, 40403));
    await assert.rejects(
      client.deleteSchemaVersion("s", 2, { permanent: true }),
      (e: unknown) => isRegistryError(404, 40407)(e) && /deleted first/.test((e as Error).message),
    );
    assert.deepEqual(await client.testCompatibility("gone", v1), {
      isCompatible: true,
      messages: [],
    });
    done();
  },
);

const live = () => new SchemaRegistryClient({ url: registryUrl() });

test("Confluent live: a BACKWARD refusal carries verbose reasons [Confluent only]", {
  skip: needsConfluent("verbose compatibility reasons"),
  timeout: 60_000,
}, async () => {
  const registry = live();
  const subject = `${uniqueName("confluent-verbose")}-value`;
  await registry.register(subject, v1);
  await registry.setCompatibility("BACKWARD", subject);
  const result = await registry.testCompatibility(subject, breaking);
  assert.equal(result.isCompatible, false);
  assert.ok(result.messages.some((m) => /READER_FIELD_MISSING_DEFAULT_VALUE/.test(m)));
});

test("Confluent live: READONLY refuses new schemas with 422/42205 [Confluent only]", {
  skip: needsConfluent("READONLY enforcement"),
  timeout: 60_000,
}, async () => {
  const registry = live();
  const subject = `${uniqueName("confluent-readonly")}-value`;
  await registry.register(subject, v1);
  await registry.setMode("READONLY", subject);
  await assert.rejects(registry.register(subject, v2), isRegistryError(422, 42205));
  await registry.setMode("READWRITE", subject);
  await registry.register(subject, v2);
});

test("Confluent live: a permanent delete before a soft one is 404/40407 [Confluent only]", {
  skip: needsConfluent("Confluent's 404 for a permanent delete before a soft one"),
  timeout: 60_000,
}, async () => {
  const registry = live();
  const subject = `${uniqueName("confluent-40407")}-value`;
  await registry.register(subject, v1);
  await assert.rejects(
    registry.deleteSchemaVersion(subject, 1, { permanent: true }),
    isRegistryError(404, 40407),
  );
  await assert.rejects(
    registry.deleteSubject(subject, { permanent: true }),
    isRegistryError(404, 40405),
  );
});
