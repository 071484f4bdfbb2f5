import assert from "node:assert/strict";
import { test } from "node:test";
import { DeliveryBatch } from "../../../src/transport/common/delivery_batch.ts";
import type { DeliveryResult, OutgoingMessage } from "../../../src/transport/types.ts";

const message = (topic: string): OutgoingMessage => ({
  topic,
  key: null,
  value: new Uint8Array(1),
});

test(
  "DeliveryBatch: outcomes in any order give results in send order, once",
  { timeout: 60_000 },
  () => {
    const handed: DeliveryResult[][] = [];
    const messages = [message("a"), message("b"), message("c")];
    const batch = new DeliveryBatch(messages, 10, (results) => handed.push(results));
    assert.deepEqual([9, 10, 12, 13].map((opaque) => batch.holds(opaque)), [
      false,
      true,
      true,
      false,
    ]);
    assert.equal(batch.delivered(12, 2, 7, 1_000), false);
    const error = new Error("refused");
    assert.equal(batch.failed(11, error), false);
    assert.equal(batch.settled, false);
    assert.equal(handed.length, 0);
    assert.equal(batch.delivered(10, 0, 2 ** 40, 2_000), true);
    assert.equal(batch.settled, true);
    assert.deepEqual(handed, [[
      { ok: true, report: { topic: "a", partition: 0, offset: 2 ** 40, timestamp: 2_000 } },
      { ok: false, error, message: messages[1] },
      { ok: true, report: { topic: "c", partition: 2, offset: 7, timestamp: 1_000 } },
    ]]);
    // The failed result carries the very message that was sent, bytes and all.
    assert.equal((handed[0][1] as { message: OutgoingMessage }).message, messages[1]);
  },
);

test("DeliveryBatch: a batch of one settles on its only outcome", { timeout: 60_000 }, () => {
  let results: DeliveryResult[] | undefined;
  const batch = new DeliveryBatch([message("t")], 1, (r) => results = r);
  const error = new Error("too large");
  assert.equal(batch.failed(1, error), true);
  assert.deepEqual(results, [{
    ok: false,
    error,
    message: { topic: "t", key: null, value: new Uint8Array(1) },
  }]);
});
