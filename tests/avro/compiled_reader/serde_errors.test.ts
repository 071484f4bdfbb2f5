/**
 * Through a model (real registry): messages written with the model's own
 * schema are read by the compiled reader, and every malformed body it refuses
 * is a DeserializationError "invalid Avro body: ..." with the schema id and
 * the message's origin.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../../support.ts";
import { Connection } from "../../../src/config/connection.ts";
import { DeserializationError } from "../../../src/errors.ts";
import { defineModel } from "../../../src/model/define_model.ts";

const Reading = v.object({
  id: v.string(),
  count: v.pipe(v.number(), v.integer()),
  serial: v.bigint(),
  at: v.date(),
  note: v.optional(v.string()),
  kind: v.picklist(["A", "B"]),
  blob: v.instance(Uint8Array),
  tags: v.array(v.string()),
});

const zz = (n: number) => {
  const out: number[] = [];
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  do {
    out.push((z % 128) | (z >= 128 ? 0x80 : 0));
    z = Math.floor(z / 128);
  } while (z > 0);
  return out;
};
const str = (
  text: string,
) => [...zz(new TextEncoder().encode(text).length), ...new TextEncoder().encode(text)];

test("the model reads its own messages; malformed bodies are DeserializationErrors", {
  timeout: 60_000,
}, async () => {
  const Model = defineModel("CompiledReading", Reading, {
    topic: uniqueName("compiled_reader"),
    connection: new Connection({
      bootstrapServers: "127.0.0.1:9092",
      schemaRegistryUrl: registryUrl(),
    }),
  });
  const value = {
    id: "r-1",
    count: -7,
    serial: 2n ** 62n,
    at: new Date(1_700_000_000_123),
    kind: "B" as const,
    blob: new Uint8Array([1, 2, 3]),
    tags: ["x", "ü"],
  };
  const framed = await Model.encode(value);
  const decoded = await Model.decode(framed);
  assert.deepStrictEqual(decoded, value); // `note` absent, not null
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);

  const header = [...framed.subarray(0, 5)];
  const schemaId = new DataView(framed.buffer, framed.byteOffset + 1, 4).getInt32(0);
  // The fields in order: id, count, serial, at, note (union), kind (enum), blob, tags.
  const fields = (over: Partial<Record<string, number[]>>) => [
    ...(over.id ?? str("r-1")),
    ...(over.count ?? zz(3)),
    ...(over.serial ?? zz(5)),
    ...(over.at ?? zz(1000)),
    ...(over.note ?? [0]),
    ...(over.kind ?? zz(0)),
    ...(over.blob ?? zz(0)),
    ...(over.tags ?? [0]),
  ];
  const bodies: [string, number[], RegExp][] = [
    ["truncated", fields({}).slice(0, -2), /truncated/],
    ["trailing data", [...fields({}), 0], /trailing data/],
    ["union index", fields({ note: zz(2) }), /invalid union index: 2/],
    ["enum index", fields({ kind: zz(5) }), /enum index: 5/],
    ["negative length", fields({ id: zz(-4) }), /negative/],
    ["hostile count", fields({ tags: [...zz(2 ** 40), 0] }), /array block/],
    ["number long past 2^53", fields({ count: zz(2 ** 54) }), /precision loss/],
  ];
  for (const [label, body, message] of bodies) {
    const origin = { topic: "t", partition: 1, offset: 42 };
    await assert.rejects(Model.decode(new Uint8Array([...header, ...body]), origin), (error) => {
      assert.ok(error instanceof DeserializationError, label);
      assert.match(error.message, /^invalid Avro body: /, label);
      assert.match(error.message, message, label);
      assert.equal(error.schemaId, schemaId, label);
      assert.equal(error.origin?.offset, 42, label);
      return true;
    });
  }
  // The same layout, well-formed, reads.
  const ok = await Model.decode(new Uint8Array([...header, ...fields({})]));
  assert.equal((ok as { count: number }).count, 3);
});
