/** What the CLI says when a registry refuses a schema without a reason. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { explainUnexplainedRefusal } from "../../src/cli/registry_diff.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { recordedFetch, recordedUrl } from "../registry/recorded_fetch.ts";

const registered = {
  type: "record",
  name: "Order",
  fields: [{ name: "id", type: "string" }, { name: "total", type: "long" }],
};
const model = {
  type: "record",
  name: "Order",
  fields: [{ name: "id", type: "string" }, { name: "total", type: "double" }, {
    name: "note",
    type: "string",
  }],
};

test("an unexplained refusal says so and lists the differences from the latest version", async () => {
  const { fetch, done } = recordedFetch([{
    request: "GET /subjects/orders-value/versions/latest",
    status: 200,
    body: { subject: "orders-value", version: 3, id: 12, schema: JSON.stringify(registered) },
  }]);
  const registry = new SchemaRegistryClient({ url: recordedUrl, fetch, retries: 0 });
  const lines = await explainUnexplainedRefusal(registry, "orders-value", model);
  done();
  assert.match(lines[0], /the registry gave no reason; .*"orders-value" version 3/);
  assert.ok(
    lines.some((l) => /at fields\.total\.type: registry has "long", model has "double"/.test(l)),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => /at fields\.note: registry has nothing, model has/.test(l)));
});

test("an unexplained refusal whose latest version cannot be read still says there was no reason", async () => {
  const { fetch } = recordedFetch([{
    request: "GET /subjects/orders-value/versions/latest",
    status: 404,
    body: { error_code: 40401, message: "Subject 'orders-value' not found." },
  }]);
  const registry = new SchemaRegistryClient({ url: recordedUrl, fetch, retries: 0 });
  const lines = await explainUnexplainedRefusal(registry, "orders-value", model);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /the registry gave no reason, and its latest version could not be read/);
});
