/** Bytes cross both ways between this library and Confluent's own AvroSerializer/AvroDeserializer. */
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import * as v from "valibot";
import { registryUrl, test, uniqueName } from "../harness.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";

const confluentModule = "@confluentinc/schemaregistry";

test("Confluent's AvroSerializer and this library read each other's bytes", async () => {
  const sr = await import(confluentModule);
  const client = new sr.SchemaRegistryClient({ baseURLs: [registryUrl()] });
  const topic = uniqueName("interop");
  const Payment = defineModel(
    "Payment",
    v.object({
      id: v.string(),
      cents: v.pipe(v.number(), v.integer()),
      memo: v.nullish(v.string()),
    }),
    { topic, namespace: "pay", connection: new Connection({ schemaRegistryUrl: registryUrl() }) },
  );
  const ours = await Payment.encode({ id: "p1", cents: 1250, memo: null });

  const deserializer = new sr.AvroDeserializer(client, sr.SerdeType.VALUE, {});
  const theirsRead = await deserializer.deserialize(topic, Buffer.from(ours));
  assert.deepEqual({ ...theirsRead }, { id: "p1", cents: 1250, memo: null });

  const serializer = new sr.AvroSerializer(client, sr.SerdeType.VALUE, { useLatestVersion: true });
  const theirs: Uint8Array = await serializer.serialize(topic, { id: "p2", cents: 99, memo: "hi" });
  assert.equal(theirs[0], 0);
  assert.deepEqual(await Payment.decode(new Uint8Array(theirs)), {
    id: "p2",
    cents: 99,
    memo: "hi",
  });
}, { runtimes: ["node"] });
