/**
 * The packed `rd_kafka_vu_t[]` of one message, read back field by field: the
 * slots' types, the pointers into the same buffer (at a made-up address),
 * the lengths and the bytes they point to.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { NativeLibrary } from "../../../src/transport/ffi/native.ts";
import { MessagePacker } from "../../../src/transport/ffi/produce_args.ts";

// A user-space address above 2^32, so both halves of every pointer are checked.
const base = 0x7f12_3456_7000n;
const lib = { address: () => base } as unknown as NativeLibrary;
const text = new TextEncoder();

interface Slot {
  type: number;
  view: DataView;
  at: number;
}

function slots(buffer: Uint8Array, count: number): Slot[] {
  const view = new DataView(buffer.buffer, buffer.byteOffset);
  return Array.from({ length: count }, (_, i) => ({
    type: view.getInt32(i * 72, true),
    view,
    at: i * 72 + 8,
  }));
}

const u64 = (slot: Slot, offset = 0) => slot.view.getBigUint64(slot.at + offset, true);
const i64 = (slot: Slot, offset = 0) => slot.view.getBigInt64(slot.at + offset, true);

function pointed(buffer: Uint8Array, pointer: bigint, length: number): Uint8Array {
  const at = Number(pointer - base);
  assert.ok(at >= 0 && at + length <= buffer.length, "points into the packed buffer");
  return buffer.slice(at, at + length);
}

function cString(buffer: Uint8Array, pointer: bigint): string {
  const at = Number(pointer - base);
  const end = buffer.indexOf(0, at);
  return new TextDecoder().decode(buffer.subarray(at, end));
}

test("a full message: topic, partition, key, value, flags, opaque, timestamp, headers", () => {
  const packer = new MessagePacker(lib);
  const key = text.encode("order-1");
  const value = new Uint8Array([0, 0, 0, 0, 7, 1, 2, 3]);
  const { buffer, count } = packer.pack({
    topic: "orders",
    partition: 2,
    key,
    value,
    timestamp: 1_764_000_000_123,
    headers: [["trace", text.encode("abc")], ["empty", new Uint8Array(0)]],
  }, 4_294_967_301); // an opaque past 32 bits
  assert.equal(count, 9);
  const s = slots(buffer, count);
  assert.deepEqual(s.map((slot) => slot.type), [1, 3, 5, 4, 7, 6, 8, 9, 9]);
  assert.equal(cString(buffer, u64(s[0])), "orders");
  assert.equal(s[1].view.getInt32(s[1].at, true), 2);
  assert.deepEqual(pointed(buffer, u64(s[2]), 7), key);
  assert.equal(u64(s[2], 8), 7n);
  assert.deepEqual(pointed(buffer, u64(s[3]), 8), value);
  assert.equal(u64(s[3], 8), 8n);
  assert.equal(s[4].view.getInt32(s[4].at, true), 0x2, "RD_KAFKA_MSG_F_COPY");
  assert.equal(u64(s[5]), 4_294_967_301n);
  assert.equal(i64(s[6]), 1_764_000_000_123n);
  assert.equal(cString(buffer, u64(s[7])), "trace");
  assert.deepEqual(pointed(buffer, u64(s[7], 8), 3), text.encode("abc"));
  assert.equal(i64(s[7], 16), 3n);
  assert.equal(cString(buffer, u64(s[8])), "empty");
  assert.equal(i64(s[8], 16), 0n);
  pointed(buffer, u64(s[8], 8), 0);
});

test("the next message clears the slots it reuses; a large one grows the buffer", () => {
  const packer = new MessagePacker(lib);
  packer.pack({ topic: "a", partition: 1, key: text.encode("k"), value: text.encode("v") }, 1);
  const big = new Uint8Array(10_000).fill(9);
  const { buffer, count } = packer.pack({ topic: "b", key: null, value: big }, 2);
  assert.equal(count, 4);
  const s = slots(buffer, count);
  assert.deepEqual(s.map((slot) => slot.type), [1, 4, 7, 6]);
  assert.equal(cString(buffer, u64(s[0])), "b");
  assert.deepEqual(pointed(buffer, u64(s[1]), 10_000), big);
  // Slot 1 held a partition before: its union's upper bytes are zero now.
  assert.equal(u64(s[1], 16), 0n);
  const again = packer.pack({ topic: "a", key: null, value: null }, 3);
  assert.equal(again.count, 3);
  assert.equal(cString(again.buffer, u64(slots(again.buffer, 3)[0])), "a");
});

test("a negative timestamp is written as two's complement", () => {
  const packer = new MessagePacker(lib);
  const { buffer, count } = packer.pack({ topic: "t", key: null, value: null, timestamp: -5 }, 0);
  const s = slots(buffer, count);
  assert.equal(s[3].type, 8);
  assert.equal(i64(s[3]), -5n);
});
