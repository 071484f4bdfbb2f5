/**
 * The Schema Registry behind nginx (scripts/stack/secure_registry.ts): HTTPS
 * with a custom CA and basic auth, and HTTPS requiring a client certificate,
 * through each runtime's own TLS (Deno.createHttpClient, Node's https, Bun's
 * fetch options). Wrong credentials are a RegistryError that never shows them.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Connection } from "../../src/config/connection.ts";
import { RegistryError } from "../../src/errors.ts";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { secure, skip } from "./secure_support.ts";

const schema = JSON.stringify({
  type: "record",
  name: "SecureOrder",
  fields: [{ name: "id", type: "string" }],
});

test("HTTPS with a custom CA and basic auth: register, fetch by id, list", {
  skip,
  timeout: 60_000,
}, async () => {
  const { https, username, password } = secure!.registry;
  const connection = new Connection({
    bootstrapServers: "memory://",
    schemaRegistryUrl: https,
    schemaRegistryBasicAuthUserInfo: `${username}:${password}`,
    schemaRegistryCaLocation: secure!.files.ca,
  });
  const registry = connection.registry();
  const subject = `${uniqueName("secure-reg")}-value`;
  const id = await registry.register(subject, schema);
  assert.equal(JSON.parse(await registry.schemaById(id)).name, "SecureOrder");
  assert.ok((await registry.subjects({ prefix: subject })).includes(subject));
  for (const shown of [String(connection), JSON.stringify(connection), inspect(connection)]) {
    assert.ok(!shown.includes(password), shown);
  }
});

test("a wrong registry password is a 401 RegistryError that does not show it", {
  skip,
  timeout: 60_000,
}, async () => {
  const { https, username } = secure!.registry;
  const wrong = `wrong-${crypto.randomUUID()}`;
  const registry = new Connection({
    bootstrapServers: "memory://",
    schemaRegistryUrl: https,
    schemaRegistryBasicAuthUserInfo: `${username}:${wrong}`,
    schemaRegistryCaLocation: secure!.files.ca,
  }).registry();
  const error = await registry.subjects().then(() => undefined, (e) => e);
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.status, 401);
  for (const shown of [error.message, inspect(error), JSON.stringify(error)]) {
    assert.ok(!shown.includes(wrong) && !shown.includes(btoa(`${username}:${wrong}`)), shown);
  }
});

test("a registry certificate from an untrusted CA is refused, naming the registry", {
  skip,
  timeout: 90_000,
}, async () => {
  const { https, username, password } = secure!.registry;
  const registry = new Connection({
    bootstrapServers: "memory://",
    schemaRegistryUrl: https,
    schemaRegistryBasicAuthUserInfo: `${username}:${password}`,
    schemaRegistryCaLocation: secure!.files.otherCa,
  }).registry();
  const error = await registry.subjects().then(() => undefined, (e) => e);
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.status, undefined);
  assert.ok(error.message.includes(https), error.message);
  assert.ok(!error.message.includes(password));
});

test("HTTPS requiring a client certificate: served with it, refused without", {
  skip,
  timeout: 60_000,
}, async () => {
  const { mtls, username, password } = secure!.registry;
  const options = {
    bootstrapServers: "memory://",
    schemaRegistryUrl: mtls,
    schemaRegistryBasicAuthUserInfo: `${username}:${password}`,
    schemaRegistryCaLocation: secure!.files.ca,
  };
  const withCertificate = new Connection({
    ...options,
    schemaRegistryCertificateLocation: secure!.files.clientCert,
    schemaRegistryKeyLocation: secure!.files.clientKey,
  }).registry();
  assert.ok(Array.isArray(await withCertificate.subjects({ prefix: "secure-reg" })));
  const without = new Connection(options).registry();
  const error = await without.subjects().then(() => undefined, (e) => e);
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.status, 400, error.message); // nginx: "No required SSL certificate was sent"
});

test("a bearer token reaches a registry that wants one; a wrong token is a 401 without it", {
  skip,
  timeout: 60_000,
}, async () => {
  const { bearer, token } = secure!.registry;
  const options = {
    bootstrapServers: "memory://",
    schemaRegistryUrl: bearer,
    schemaRegistryCaLocation: secure!.files.ca,
  };
  const registry = new Connection({ ...options, schemaRegistryBearerToken: token }).registry();
  assert.ok(Array.isArray(await registry.subjects({ prefix: "secure-reg" })));
  const wrong = `wrong-${crypto.randomUUID()}`;
  const refused = new Connection({ ...options, schemaRegistryBearerToken: wrong }).registry();
  const error = await refused.subjects().then(() => undefined, (e) => e);
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.status, 401);
  assert.ok(!inspect(error).includes(wrong) && !inspect(error).includes(token));
});
