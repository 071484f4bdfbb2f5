/** Framed writes into shared slabs: views or owned copies, and bodies of any size. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BodyWrite, writeFramed } from "../../src/serde/slab_writer.ts";
import { HEADER_LENGTH } from "../../src/serde/wire_format.ts";

// A body of `size` bytes of `fill`; too small a target gets `missing(size)` back.
function body(size: number, fill: number, missing: (short: number) => number): BodyWrite {
  return (_value, target, start) => {
    if (target.length - start < size) return missing(size - (target.length - start));
    target.fill(fill, start, start + size);
    return start + size;
  };
}

function assertBody(framed: Uint8Array, size: number, fill: number, id: number): void {
  assert.equal(framed.length, HEADER_LENGTH + size);
  assert.equal(framed[0], 0);
  assert.equal(new DataView(framed.buffer, framed.byteOffset).getInt32(1), id);
  assert.ok(framed.subarray(HEADER_LENGTH).every((b) => b === fill));
}

test("bodies bigger than a slab fit, whether the writer says how many bytes are missing or not", () => {
  for (const missing of [(short: number) => -short, () => -1]) {
    for (const size of [10, 64 * 1024, 300_000, 1_000_000]) {
      assertBody(writeFramed(body(size, 7, missing), 5, null, true), size, 7, 5);
      assertBody(writeFramed(body(size, 8, missing), 6, null, false), size, 8, 6);
    }
  }
});

test("owned results own their buffer; in-place results share the slab and are not overwritten", () => {
  const owned = writeFramed(body(100, 1, (s) => -s), 1, null, true);
  assert.equal(owned.byteOffset, 0);
  assert.equal(owned.buffer.byteLength, owned.length);
  const first = writeFramed(body(100, 2, (s) => -s), 2, null, false);
  const second = writeFramed(body(100, 3, (s) => -s), 3, null, false);
  assert.equal(first.buffer, second.buffer);
  assertBody(first, 100, 2, 2);
  assertBody(second, 100, 3, 3);
});
