/** Arbitrary bytes never crash decode: every failure is a DeserializationError. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { DeserializationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";

// A small deterministic generator, so a failure replays.
function xorshift(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

test("100,000 random and mutated messages give only DeserializationError or a valid value", {
  timeout: 120_000,
}, async () => {
  const Model = defineModel(
    "Fuzzed",
    v.object({
      id: v.string(),
      n: v.pipe(v.number(), v.integer()),
      tags: v.array(v.string()),
      attrs: v.record(v.string(), v.number()),
      maybe: v.nullish(v.boolean()),
      kind: v.picklist(["A", "B"]),
    }),
    {
      topic: uniqueName("fuzz"),
      connection: new Connection({
        bootstrapServers: "127.0.0.1:9092",
        schemaRegistryUrl: registryUrl(),
      }),
    },
  );
  const seedValue = {
    id: "abc",
    n: 42,
    tags: ["x", "y"],
    attrs: { k: 1.5 },
    maybe: true,
    kind: "B" as const,
  };
  const valid = await Model.encode(seedValue);
  const random = xorshift(20261123);
  const byte = () => Math.floor(random() * 256);
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 100_000; i++) {
    let input: Uint8Array;
    const mode = i % 4;
    if (mode === 0) {
      input = Uint8Array.from({ length: Math.floor(random() * 40) }, byte);
    } else if (mode === 1) {
      input = valid.slice();
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        input[5 + Math.floor(random() * (input.length - 5))] = byte();
      }
    } else if (mode === 2) {
      input = valid.slice(0, Math.floor(random() * valid.length));
    } else {
      const tail = Uint8Array.from({ length: Math.floor(random() * 12) }, byte);
      input = new Uint8Array([...valid.subarray(0, 5), ...tail]);
    }
    try {
      await Model.decode(input, { topic: "fuzz", partition: 0, offset: i });
      decoded++;
    } catch (error) {
      if (!(error instanceof DeserializationError)) {
        throw new Error(`input ${i} [${[...input]}] threw ${(error as Error)?.name}: ${error}`);
      }
      assert.equal(error.origin?.offset, i);
      refused++;
    }
  }
  assert.equal(decoded + refused, 100_000);
  assert.ok(refused > 90_000, `most garbage is refused (${refused})`);
});
