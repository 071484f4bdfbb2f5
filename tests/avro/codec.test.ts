import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "../harness.ts";
import { toAvroSchema } from "../../src/avro/to_avro_schema.ts";
import { createAvroCodec } from "../../src/avro/codec.ts";

test("codec round-trips dates and resolves an older writer schema", () => {
  const schema = toAvroSchema(
    v.object({ id: v.string(), at: v.date(), note: v.optional(v.string(), "none") }),
    { name: "Event" },
  );
  const codec = createAvroCodec(schema);
  const at = new Date(1_700_000_000_123);
  const same = codec.decode(codec.encode({ id: "a", at, note: "x" })) as object;
  assert.deepEqual({ ...same }, { id: "a", at, note: "x" });
  const old = toAvroSchema(v.object({ id: v.string(), at: v.date() }), { name: "Event" });
  const bytes = createAvroCodec(old).encode({ id: "b", at });
  const resolved = codec.decode(bytes, old) as object;
  assert.deepEqual({ ...resolved }, { id: "b", at, note: "none" });
});
