/** PartitionOffsets: finished-offset watermarks per partition and which positions to commit. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartitionOffsets } from "../../src/loop/offsets.ts";

const at = (topic: string, partition: number, offset: number) => ({ topic, partition, offset });

test("offsets: a partition's position is its first unfinished offset", { timeout: 60_000 }, () => {
  const offsets = new PartitionOffsets();
  const finish = [10, 11, 12].map((o) => offsets.begin(at("t", 0, o)));
  const other = offsets.begin(at("t", 1, 5));
  assert.deepEqual(offsets.committable(), []);
  finish[1]();
  assert.deepEqual(offsets.committable(), [], "11 finished, but 10 is still running");
  finish[0]();
  other();
  assert.deepEqual(offsets.committable(), [at("t", 0, 12), at("t", 1, 6)]);
  assert.deepEqual(offsets.committable([{ topic: "t", partition: 1 }]), [at("t", 1, 6)]);
});

test("offsets: committed positions are not offered again until the watermark moves", {
  timeout: 60_000,
}, () => {
  const offsets = new PartitionOffsets();
  const a = offsets.begin(at("t", 0, 0));
  const b = offsets.begin(at("t", 0, 1));
  a();
  offsets.committed(offsets.committable());
  assert.deepEqual(offsets.committable(), []);
  b();
  assert.deepEqual(offsets.committable(), [at("t", 0, 2)]);
});

test("offsets: a revoked partition is forgotten; its old messages never move the new watermark", {
  timeout: 60_000,
}, () => {
  const offsets = new PartitionOffsets();
  const old = offsets.begin(at("t", 0, 7));
  offsets.forget({ topic: "t", partition: 0 });
  // Reassigned: the same offset is delivered again and is still being handled.
  const again = offsets.begin(at("t", 0, 7));
  old();
  assert.deepEqual(offsets.committable(), [], "the old delivery finished, the new one has not");
  again();
  assert.deepEqual(offsets.committable(), [at("t", 0, 8)]);
});

test("offsets: a commit confirmed late never moves a position back or revives a revoked one", {
  timeout: 60_000,
}, () => {
  const offsets = new PartitionOffsets();
  offsets.begin(at("t", 0, 0))();
  const earlier = offsets.committable();
  offsets.begin(at("t", 0, 1))();
  const later = offsets.committable();
  assert.deepEqual([earlier, later], [[at("t", 0, 1)], [at("t", 0, 2)]]);
  // Commits run beside the polls: the later one is confirmed first.
  offsets.committed(later);
  offsets.committed(earlier);
  assert.deepEqual(offsets.committable(), [], "2 stays the committed position");
  offsets.begin(at("t", 1, 4))();
  const revoked = offsets.committable([{ topic: "t", partition: 1 }]);
  offsets.forget({ topic: "t", partition: 1 });
  offsets.committed(revoked);
  // Assigned again from the group's offset: its work is offered as if new.
  offsets.begin(at("t", 1, 4))();
  assert.deepEqual(offsets.committable(), [at("t", 1, 5)]);
});
