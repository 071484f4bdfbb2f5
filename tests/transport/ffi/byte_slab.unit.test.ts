import { test } from "node:test";
import assert from "node:assert/strict";
import { ByteSlab, slabSize } from "../../../src/transport/ffi/byte_slab.ts";

test("views taken from a slab never share a byte", () => {
  const slab = new ByteSlab();
  const views = Array.from({ length: 200 }, (_, i) => {
    const view = slab.take(1000 + (i % 7));
    view.fill(i % 251);
    return view;
  });
  views.forEach((view, i) => {
    assert.equal(view.length, 1000 + (i % 7));
    assert.ok(view.every((byte) => byte === i % 251), `view ${i} was overwritten`);
  });
  const buffers = new Set(views.map((view) => view.buffer));
  assert.ok(buffers.size > 1 && buffers.size < views.length, "small views share slabs");
});

test("a view that does not fit the rest of its slab starts a new one", () => {
  const slab = new ByteSlab();
  const first = slab.take(slabSize / 16);
  const many = Array.from({ length: 15 }, () => slab.take(slabSize / 16));
  assert.ok(many.every((view) => view.buffer === first.buffer), "sixteen views fill one slab");
  const next = slab.take(1);
  assert.notEqual(next.buffer, first.buffer);
  assert.equal(next.byteOffset, 0);
});

test("a large record gets a buffer of its own, zeroed", () => {
  const slab = new ByteSlab();
  slab.take(10);
  const large = slab.take(slabSize / 16 + 1);
  assert.equal(large.byteOffset, 0);
  assert.equal(large.buffer.byteLength, slabSize / 16 + 1);
  assert.ok(large.every((byte) => byte === 0));
  assert.notEqual(slab.take(10).buffer, large.buffer);
});

test("an empty view takes no room", () => {
  const slab = new ByteSlab();
  const a = slab.take(3);
  assert.equal(slab.take(0).length, 0);
  const b = slab.take(3);
  assert.equal(b.byteOffset, a.byteOffset + 3);
});

/** Takes views until one lands in a slab other than `view`'s. */
function fillPast(slab: ByteSlab, view: Uint8Array, length = 1000): Uint8Array[] {
  const taken = [];
  for (let next = slab.take(length);; next = slab.take(length)) {
    taken.push(next);
    if (next.buffer !== view.buffer) return taken;
  }
}

test("a full slab is written again once every view taken from it is released", () => {
  const slab = new ByteSlab();
  const first = slab.take(1000);
  const rest = fillPast(slab, first);
  const next = rest.pop()!; // the first view of the second slab
  for (const view of [first, ...rest]) slab.release(view);
  const again = fillPast(slab, next);
  assert.equal(again.at(-1)!.buffer, first.buffer, "the released slab comes back");
  assert.equal(again.at(-1)!.byteOffset, 0);
});

test("a slab with one view still out is never written again", () => {
  const slab = new ByteSlab();
  const kept = slab.take(1000).fill(7);
  let current = kept;
  for (let round = 0; round < 5; round++) {
    const taken = fillPast(slab, current);
    current = taken.pop()!;
    for (const view of taken) view.fill(round), slab.release(view);
  }
  assert.ok(kept.every((byte) => byte === 7), "the kept view was overwritten");
});

test("release ignores null, buffers of their own and views it never gave", () => {
  const slab = new ByteSlab();
  const small = slab.take(10);
  slab.release(null);
  slab.release(slab.take(slabSize)); // a large record: its own buffer
  slab.release(new Uint8Array(10));
  slab.release(new Uint8Array(slabSize).subarray(0, 10));
  const taken = fillPast(slab, small);
  for (const view of taken) slab.release(view);
  // `small` is still out, so its slab never returns.
  const later = fillPast(slab, taken.at(-1)!);
  assert.ok(later.every((view) => view.buffer !== small.buffer));
});

test("releasing every view of the slab being filled does not rewind it", () => {
  const slab = new ByteSlab();
  const a = slab.take(10).fill(1);
  slab.release(a);
  const b = slab.take(10);
  assert.equal(b.buffer, a.buffer);
  assert.equal(b.byteOffset, 10);
});
