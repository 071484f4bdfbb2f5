import assert from "node:assert/strict";
import { test } from "node:test";
import { DeliveredOffsets } from "../../../src/transport/ffi/delivered_offsets.ts";

const at = (partition: number, offset: number) => ({ topic: "t", partition, offset });

test("a partition's records are admitted in increasing offsets; one fetched again is not", () => {
  const delivered = new DeliveredOffsets();
  assert.equal(delivered.admits(at(0, 12)), true);
  assert.equal(delivered.admits(at(0, 13)), true);
  assert.equal(delivered.admits(at(0, 13)), false);
  assert.equal(delivered.admits(at(0, 5)), false);
  // Gaps (compaction, transaction markers) are fine, and partitions are apart.
  assert.equal(delivered.admits(at(0, 20)), true);
  assert.equal(delivered.admits(at(1, 3)), true);
  assert.equal(delivered.admits({ topic: "u", partition: 0, offset: 3 }), true);
});

test("a rebalance or an offset reset lets every partition move back", () => {
  const delivered = new DeliveredOffsets();
  delivered.admits(at(0, 9));
  delivered.admits(at(1, 9));
  delivered.clear();
  assert.equal(delivered.admits(at(0, 4)), true);
  assert.equal(delivered.admits(at(1, 0)), true);
});

test("a seeked partition takes any record until the seek ended, then guards from the next", () => {
  const delivered = new DeliveredOffsets();
  delivered.admits(at(0, 50));
  delivered.admits(at(1, 50));
  const first = delivered.seeking(at(0, 10));
  const second = delivered.seeking(at(0, 20));
  assert.equal(delivered.admits(at(0, 51)), true, "from before the seek");
  assert.equal(delivered.admits(at(0, 10)), true, "from the seek's position");
  first();
  assert.equal(delivered.admits(at(0, 10)), true, "another seek still runs");
  second();
  assert.equal(delivered.admits(at(0, 20)), true);
  assert.equal(delivered.admits(at(0, 20)), false);
  assert.equal(delivered.admits(at(1, 50)), false, "the other partition stayed guarded");
});
