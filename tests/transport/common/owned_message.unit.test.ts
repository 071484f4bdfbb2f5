import { test } from "node:test";
import assert from "node:assert/strict";
import { ownedMessage } from "../../../src/transport/common/owned_message.ts";
import type { IncomingMessage } from "../../../src/transport/types.ts";

const at = { topic: "t", partition: 0, offset: 7, headers: [], timestamp: 1 };

test("ownedMessage copies bytes that are views of a wider buffer", () => {
  const shared = Uint8Array.from({ length: 32 }, (_, i) => i);
  const message: IncomingMessage = {
    ...at,
    key: shared.subarray(0, 4),
    value: shared.subarray(4, 20),
  };
  const owned = ownedMessage(message);
  assert.notEqual(owned, message);
  assert.deepEqual([...owned.key!], [0, 1, 2, 3]);
  assert.deepEqual([...owned.value!], [...shared.subarray(4, 20)]);
  for (const bytes of [owned.key!, owned.value!]) {
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.buffer.byteLength, bytes.byteLength);
  }
  owned.value!.fill(0);
  assert.equal(shared[4], 4, "the copy is not the shared buffer");
  assert.equal(owned.offset, 7);
});

test("ownedMessage hands back a message whose bytes already own their memory", () => {
  const message: IncomingMessage = { ...at, key: null, value: new Uint8Array([1, 2]) };
  assert.equal(ownedMessage(message), message);
  const tombstone: IncomingMessage = { ...at, key: new Uint8Array([1]), value: null };
  assert.equal(ownedMessage(tombstone), tombstone);
});
