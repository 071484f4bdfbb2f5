/** The stack's Schema Registry speaks Confluent's REST API: register, read back, refuse an incompatible change. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";

const contentType = { "Content-Type": "application/vnd.schemaregistry.v1+json" };

function record(fields: object[]): string {
  return JSON.stringify({ type: "record", name: "Smoke", namespace: "flowodm.test", fields });
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${registryUrl()}${path}`, {
    method,
    headers: contentType,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

test("registers an Avro schema, reads it by id and by subject, refuses an incompatible change", {
  timeout: 60_000,
}, async () => {
  const subject = `${uniqueName("smoke")}-value`;
  const v1 = record([{ name: "id", type: "string" }]);
  const registered = await call("POST", `/subjects/${subject}/versions`, { schema: v1 });
  assert.equal(registered.status, 200);
  assert.equal(typeof registered.json.id, "number");

  const byId = await call("GET", `/schemas/ids/${registered.json.id}`);
  assert.equal(byId.status, 200);
  assert.deepEqual(JSON.parse(byId.json.schema), JSON.parse(v1));

  const latest = await call("GET", `/subjects/${subject}/versions/latest`);
  assert.equal(latest.status, 200);
  assert.equal(latest.json.id, registered.json.id);
  assert.equal(latest.json.version, 1);

  const level = await call("PUT", `/config/${subject}`, { compatibility: "BACKWARD" });
  assert.equal(level.json.compatibility, "BACKWARD");
  // A new required field cannot be read from old data: not BACKWARD compatible.
  const incompatible = record([{ name: "id", type: "string" }, { name: "n", type: "int" }]);
  const refused = await call("POST", `/subjects/${subject}/versions`, { schema: incompatible });
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error_code, 409);

  const compatible = record([{ name: "id", type: "string" }, {
    name: "n",
    type: "int",
    default: 0,
  }]);
  const accepted = await call("POST", `/subjects/${subject}/versions`, { schema: compatible });
  assert.equal(accepted.status, 200);
  assert.notEqual(accepted.json.id, registered.json.id);
});
