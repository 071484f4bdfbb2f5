/** Registry faults are classified in one place: RegistryError.transient, which DeserializationError carries on. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DeserializationError, RegistryError } from "../src/errors.ts";

test("a registry that did not answer is transient; an answer is not", () => {
  const transient = [undefined, 500, 502, 503, 504, 429];
  for (const status of transient) {
    assert.equal(new RegistryError("x", { status }).transient, true, `status ${status}`);
  }
  for (const status of [400, 401, 403, 409, 422]) {
    assert.equal(new RegistryError("x", { status }).transient, false, `status ${status}`);
  }
  for (const errorCode of [40401, 40402, 40403]) {
    const answer = new RegistryError("not found", { status: 404, errorCode });
    assert.equal(answer.transient, false, `404 with ${errorCode}`);
  }
});

test("a 404 without a Confluent error code (no registry API at that URL) is waited out", () => {
  assert.equal(new RegistryError("x", { status: 404 }).transient, true);
  assert.equal(new RegistryError("x", { status: 404, errorCode: 404 }).transient, true);
});

test("a DeserializationError is transient only when it wraps a transient registry fault", () => {
  const outage = new RegistryError("timed out");
  const unknownId = new RegistryError("Schema 7 not found", { status: 404, errorCode: 40403 });
  assert.equal(new DeserializationError("x", { cause: outage }).transient, true);
  assert.equal(new DeserializationError("x", { cause: unknownId }).transient, false);
  assert.equal(new DeserializationError("bad magic byte").transient, false);
  assert.equal(new DeserializationError("x", { cause: new Error("boom") }).transient, false);
  // A key codec wraps the value's DeserializationError: the classification carries through.
  const wrapped = new DeserializationError("x", { cause: outage });
  assert.equal(new DeserializationError("the key: x", { cause: wrapped }).transient, true);
});
