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
