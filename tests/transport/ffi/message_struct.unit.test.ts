import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addressAt,
  keyWord,
  MessageStruct,
  messageStructSize,
  payloadWord,
} from "../../../src/transport/ffi/message_struct.ts";

/** Writes a little-endian rd_kafka_message_t into the struct's buffer, as librdkafka lays it out. */
function fill(
  struct: MessageStruct,
  fields: {
    err: number;
    rkt: bigint;
    partition: number;
    payload: bigint;
    len: bigint;
    key: bigint;
    keyLen: bigint;
    offset: bigint;
    opaque: bigint;
  },
): void {
  const view = new DataView(struct.bytes.buffer);
  struct.bytes.fill(0xee); // padding and stale bytes must not leak into fields
  view.setInt32(0, fields.err, true);
  view.setBigUint64(8, fields.rkt, true);
  view.setInt32(16, fields.partition, true);
  view.setBigUint64(24, fields.payload, true);
  view.setBigUint64(32, fields.len, true);
  view.setBigUint64(40, fields.key, true);
  view.setBigUint64(48, fields.keyLen, true);
  view.setBigInt64(56, fields.offset, true);
  view.setBigUint64(64, fields.opaque, true);
}

const typical = {
  err: 0,
  rkt: 0x7f3a_1234_5678n,
  partition: 7,
  payload: 0x5555_0000_1000n,
  len: 1234n,
  key: 0x5555_0000_2000n,
  keyLen: 36n,
  offset: 9_876_543_210n,
  opaque: 0n,
};

test("message struct: a record's fields from one 72-byte copy; pointers as words", () => {
  const struct = new MessageStruct();
  assert.equal(struct.bytes.length, messageStructSize);
  assert.equal(messageStructSize, 72);
  fill(struct, typical);
  assert.equal(struct.err, 0);
  assert.equal(struct.topic, 0x7f3a_1234_5678);
  assert.equal(struct.partition, 7);
  assert.equal(struct.words[payloadWord], 0x5555_0000_1000n);
  assert.equal(struct.length, 1234);
  assert.equal(struct.words[keyWord], 0x5555_0000_2000n);
  assert.equal(struct.keyLength, 36);
  assert.equal(struct.offset, 9_876_543_210);
});

test("message struct: NULL key and payload, zero offset, an error code", () => {
  const struct = new MessageStruct();
  fill(struct, { ...typical, err: -191, payload: 0n, len: 0n, key: 0n, keyLen: 0n, offset: 0n });
  assert.equal(struct.err, -191);
  assert.equal(struct.words[payloadWord], 0n);
  assert.equal(struct.words[keyWord], 0n);
  assert.equal(struct.length, 0);
  assert.equal(struct.keyLength, 0);
  assert.equal(struct.offset, 0);
});

test("message struct: signed fields (negative partition and logical offsets)", () => {
  const struct = new MessageStruct();
  fill(struct, { ...typical, partition: -1, offset: -1001n });
  assert.equal(struct.partition, -1);
  assert.equal(struct.offset, -1001);
  fill(struct, { ...typical, offset: BigInt(Number.MAX_SAFE_INTEGER) });
  assert.equal(struct.offset, Number.MAX_SAFE_INTEGER);
  fill(struct, { ...typical, offset: 0x1_0000_0000n });
  assert.equal(struct.offset, 2 ** 32);
});

test("message struct: an address above 2^53 (tagged pointer) stays exact as a bigint", () => {
  const struct = new MessageStruct();
  const tagged = 0xb400_7f3a_1234_5678n;
  fill(struct, { ...typical, rkt: tagged, payload: tagged + 8n });
  assert.equal(struct.topic, tagged);
  assert.equal(struct.words[payloadWord], tagged + 8n);
  // The same address read twice has the same type and value, so it can key a Map.
  assert.equal(struct.topic, struct.topic);
});

test("addressAt: an array of pointers as written by rd_kafka_event_message_array", () => {
  const bytes = new Uint8Array(4 * 8);
  const view = new DataView(bytes.buffer);
  const addresses = [0x7f00_0000_0010n, 0n, 0x1n, (1n << 53n) + 16n];
  addresses.forEach((a, i) => view.setBigUint64(i * 8, a, true));
  const words = new Uint32Array(bytes.buffer);
  assert.equal(addressAt(words, 0), 0x7f00_0000_0010);
  assert.equal(addressAt(words, 2), null);
  assert.equal(addressAt(words, 4), 1);
  assert.equal(addressAt(words, 6), (1n << 53n) + 16n);
});
