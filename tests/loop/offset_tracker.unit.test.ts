/**
 * The watermark against the obvious model of it (the first unfinished
 * offset), over offsets with gaps (compacted topics, transaction markers)
 * finished in shuffled order, past the point where the tracker compacts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { OffsetTracker } from "../../src/loop/offset_tracker.ts";
import { prng } from "../avro/prng.ts";

test("committable is one past the last offset before the first unfinished one", () => {
  const random = prng(17);
  for (let round = 0; round < 20; round++) {
    const tracker = new OffsetTracker();
    const offsets: number[] = [];
    let offset = Math.floor(random() * 1000);
    const count = 1 + Math.floor(random() * 3000);
    for (let i = 0; i < count; i++) {
      offsets.push(offset);
      tracker.begin(offset);
      offset += 1 + (random() < 0.2 ? Math.floor(random() * 50) : 0);
    }
    // Finished in windows of shuffled order, as concurrent handlers finish them.
    const order = offsets.slice();
    for (let i = 0; i < order.length; i++) {
      const j = Math.min(order.length - 1, i + Math.floor(random() * 40));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const finished = new Set<number>();
    let firstUnfinished = 0;
    for (const done of order) {
      tracker.finish(done);
      finished.add(done);
      while (firstUnfinished < offsets.length && finished.has(offsets[firstUnfinished])) {
        firstUnfinished++;
      }
      const expected = firstUnfinished === 0 ? undefined : offsets[firstUnfinished - 1] + 1;
      assert.equal(tracker.committable(), expected);
    }
    assert.equal(tracker.inFlight, 0);
  }
});

test("an offset finished twice or never begun changes nothing", () => {
  const tracker = new OffsetTracker();
  for (const offset of [5, 6, 9]) tracker.begin(offset);
  tracker.finish(7);
  assert.equal(tracker.committable(), undefined);
  tracker.finish(5);
  tracker.finish(5);
  assert.equal(tracker.committable(), 6);
  assert.equal(tracker.inFlight, 2);
  tracker.finish(9);
  assert.equal(tracker.committable(), 6);
  tracker.finish(6);
  assert.equal(tracker.committable(), 10);
});
