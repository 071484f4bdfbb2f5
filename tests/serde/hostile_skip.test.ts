/** A writer field the model dropped cannot make decode loop: hostile block sizes are refused. */
import assert from "node:assert/strict";
import avro from "avsc";
import { Buffer } from "node:buffer";
import { test } from "../harness.ts";
import { installBoundedSkips } from "../../src/avro/bounded_skip.ts";

const writerSchema = {
  type: "record",
  name: "R",
  fields: [
    { name: "legacy", type: { type: "array", items: "string" } },
    { name: "tags", type: { type: "map", values: "null" } },
    { name: "empties", type: { type: "array", items: "null" } },
  ],
};
const reader = avro.Type.forSchema({ type: "record", name: "R", fields: [] });
installBoundedSkips(avro.types);
const resolver = () => reader.createResolver(avro.Type.forSchema(writerSchema as avro.Schema));

test("a negative block size in a skipped array is refused, not looped on", () => {
  // Block count -1, then block size -2: avsc's own skip moves backwards forever.
  assert.throws(
    () => reader.fromBuffer(Buffer.from([1, 3]), resolver()),
    /truncated|trailing|invalid/i,
  );
});

test("a huge block of zero-byte items is skipped at once", () => {
  // legacy: empty; tags: empty; empties: 2^40 nulls, then the end of the array.
  const huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
  const started = Date.now();
  assert.deepEqual({ ...reader.fromBuffer(Buffer.from([0, 0, ...huge, 0]), resolver()) }, {});
  assert.ok(Date.now() - started < 1000);
});

test("well-formed skipped fields still resolve", () => {
  const writer = avro.Type.forSchema(writerSchema as avro.Schema);
  const bytes = writer.toBuffer({ legacy: ["a", "b"], tags: { x: null }, empties: [null] });
  assert.deepEqual({ ...reader.fromBuffer(bytes, resolver()) }, {});
});
