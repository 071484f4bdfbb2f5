/**
 * A registry URL without its API path (Apicurio's Confluent API lives at
 * /apis/ccompat/v7) answers 404 to everything: that must not read as "unknown
 * schema id", which would dead-letter every healthy message.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl } from "../support.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { RegistryError } from "../../src/errors.ts";

const apiUrl = registryUrl();
const serverRoot = new URL(apiUrl).origin;

test("an id unknown to the registry is a permanent 404 with its Confluent code", {
  timeout: 60_000,
}, async () => {
  const client = new SchemaRegistryClient({ url: apiUrl });
  const error = await client.schemaById(2_000_000_000).catch((e) => e);
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.status, 404);
  assert.equal(error.errorCode, 40403);
  assert.equal(error.transient, false);
});

test("the server's root, which has no registry API, is a transient fault naming the URL", {
  skip: serverRoot === apiUrl ? `${apiUrl} serves the API at its root` : false,
  timeout: 60_000,
}, async () => {
  const client = new SchemaRegistryClient({ url: serverRoot });
  const error = await client.schemaById(1).catch((e) => e);
  assert.ok(error instanceof RegistryError, String(error));
  assert.equal(error.status, 404);
  assert.equal(error.transient, true);
  assert.match(error.message, /registry's API\?/);
  assert.ok(error.message.includes(serverRoot), error.message);
});
