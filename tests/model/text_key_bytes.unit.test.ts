/**
 * Text keys of a batch written into one buffer: the bytes are TextEncoder's
 * for every kind of text, and no key's bytes overlap another's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { textKeyBytes } from "../../src/model/text_key_bytes.ts";

const encoder = new TextEncoder();

test("every key's bytes are TextEncoder's, nulls stay null", () => {
  const keys = [
    "order-1",
    null,
    "",
    "café",
    "order-2",
    "😀 emoji",
    "lone \ud800 surrogate",
    "ascii then é",
    "x".repeat(300),
    null,
    "last",
  ];
  const bytes = textKeyBytes(keys);
  assert.equal(bytes.length, keys.length);
  keys.forEach((key, i) => {
    if (key === null) assert.equal(bytes[i], null);
    else assert.deepEqual(bytes[i], encoder.encode(key), `key ${i}: ${key}`);
  });
});

test("a key's bytes are its own: writing into one leaves the others as they were", () => {
  const keys = ["a1", "bé", "c3", "d4"];
  const bytes = textKeyBytes(keys) as Uint8Array[];
  bytes[0].fill(0);
  bytes[2].fill(0);
  assert.deepEqual(bytes[1], encoder.encode("bé"));
  assert.deepEqual(bytes[3], encoder.encode("d4"));
});

test("an empty batch and a batch of nulls", () => {
  assert.deepEqual(textKeyBytes([]), []);
  assert.deepEqual(textKeyBytes([null, null]), [null, null]);
});
