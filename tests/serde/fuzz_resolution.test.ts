/**
 * Fuzz through the schema-resolution path (an older writer read as a newer
 * model) with logical types, unions, enums, maps and nested records: arbitrary
 * bytes give a valid value or a DeserializationError, never anything else.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { DeserializationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

// Deterministic, so a failing input replays.
function xorshift(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const common = {
  id: v.string(),
  at: v.date(),
  status: v.picklist(["NEW", "SENT", "LOST"]),
  dims: v.record(v.string(), v.number()),
  to: v.pipe(v.object({ city: v.string(), zip: v.nullable(v.string()) }), v.title("Address")),
  label: v.instance(Uint8Array),
  count: v.pipe(v.number(), v.integer()),
  serial: v.bigint(),
  price: v.pipe(
    v.string(),
    v.metadata({ avro: { logicalType: "decimal", precision: 10, scale: 2 } }),
  ),
  flags: v.array(v.null()),
};

test("30,000 mutated messages of an older writer give only DeserializationError or a valid value", {
  timeout: 120_000,
}, async () => {
  const topic = uniqueName("fuzz-resolve");
  const settings = {
    topic,
    namespace: "com.example.fuzz",
    connection: new Connection({ schemaRegistryUrl: registryUrl() }),
  };
  const V1 = defineModel(
    "Parcel",
    v.object({ ...common, legacy: v.array(v.string()) }),
    settings,
  );
  const v1Id = await V1.registerSchema();
  await new SchemaRegistryClient({ url: registryUrl() }).setCompatibility(
    "BACKWARD",
    `${topic}-value`,
  );
  const V2 = defineModel(
    "Parcel",
    v.object({ ...common, priority: v.optional(v.picklist(["LOW", "HIGH"]), "LOW") }),
    settings,
  );
  const v2Id = await V2.registerSchema();
  assert.notEqual(v1Id, v2Id);

  const valid = await V1.encode({
    id: "p-1",
    at: new Date(1_700_000_000_000),
    status: "SENT",
    dims: { w: 1.5, h: 2 },
    to: { city: "Oslo", zip: "0150" },
    label: new Uint8Array([1, 2, 3]),
    count: 12,
    serial: 2n ** 62n,
    price: "-12.34",
    flags: [null, null],
    legacy: ["x", "yz"],
  });
  // The untouched message resolves: legacy dropped, priority defaulted.
  const resolved = await V2.decode(valid);
  assert.equal(resolved.priority, "LOW");
  assert.equal("legacy" in resolved, false);

  const random = xorshift(424242);
  const byte = () => Math.floor(random() * 256);
  const header = (id: number) => [0, id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255];
  let decoded = 0;
  let refused = 0;
  const started = performance.now();
  for (let i = 0; i < 30_000; i++) {
    let input: Uint8Array;
    switch (i % 4) {
      case 0: {
        input = valid.slice();
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
          input[5 + Math.floor(random() * (input.length - 5))] = byte();
        }
        break;
      }
      case 1:
        input = valid.slice(0, Math.floor(random() * valid.length));
        break;
      case 2: {
        // Keep a valid prefix of the body and garble the rest: reaches deep fields.
        const keep = 5 + Math.floor(random() * (valid.length - 5));
        const tail = Array.from({ length: Math.floor(random() * 16) }, byte);
        input = new Uint8Array([...valid.subarray(0, keep), ...tail]);
        break;
      }
      default: {
        // Mostly our two ids; now and then an id the registry never issued.
        const id = i % 300 === 3 ? 2_000_000_000 + (i % 7) : random() < 0.5 ? v1Id : v2Id;
        const body = Array.from({ length: Math.floor(random() * 48) }, byte);
        input = new Uint8Array([...header(id), ...body]);
      }
    }
    try {
      const value = await V2.decode(input, { topic, partition: 1, offset: i });
      assert.ok(value.at instanceof Date && !Number.isNaN(value.at.getTime()), `input ${i}`);
      assert.equal(typeof value.serial, "bigint", `input ${i}`);
      assert.match(value.price, /^-?\d{1,8}\.\d\d$/, `input ${i}`);
      decoded++;
    } catch (error) {
      if (!(error instanceof DeserializationError)) {
        throw new Error(`input ${i} [${[...input]}] threw ${(error as Error)?.name}: ${error}`);
      }
      assert.equal(error.origin?.offset, i);
      refused++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${decoded} decoded, ${refused} refused in ${seconds.toFixed(1)} s`);
  assert.equal(decoded + refused, 30_000);
  assert.ok(refused > 15_000, `most garbage is refused (${refused})`);
});
