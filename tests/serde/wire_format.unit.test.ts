import assert from "node:assert/strict";
import { test } from "node:test";
import { DeserializationError } from "../../src/errors.ts";
import { frame, unframe } from "../../src/serde/wire_format.ts";

test("frames a body with magic byte 0 and a big-endian schema id", () => {
  const framed = frame(0x01020304, new Uint8Array([9, 8]));
  assert.deepEqual([...framed], [0, 1, 2, 3, 4, 9, 8]);
  const { schemaId, body } = unframe(framed);
  assert.equal(schemaId, 0x01020304);
  assert.deepEqual([...body], [9, 8]);
});

test("refuses tombstones, short input and other magic bytes with the message's origin", () => {
  const origin = { topic: "t", partition: 2, offset: 40 };
  for (const bytes of [null, new Uint8Array([0, 1]), new Uint8Array([0x7b, 0, 0, 0, 1, 1])]) {
    assert.throws(
      () => unframe(bytes, origin),
      (e: unknown) =>
        e instanceof DeserializationError && e.origin?.offset === 40 &&
        /partition 2/.test(e.message),
    );
  }
  assert.throws(() => unframe(new Uint8Array([0x7b, 0, 0, 0, 1])), /magic byte 0x7b/);
});
