/** Bytes cross both ways between this library and Confluent's own AvroSerializer/AvroDeserializer. */
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { InvoiceSchema } from "./invoice.ts";
import { confluent } from "./confluent.ts";
import { defineModel } from "../../src/model/define_model.ts";

if (runsOn(["node"])) {
  test(
    "Confluent's AvroSerializer and this library read each other's bytes",
    { timeout: 60_000 },
    async () => {
      const { sr, client } = await confluent();
      const topic = uniqueName("interop");
      const Payment = defineModel(
        "Payment",
        v.object({
          id: v.string(),
          cents: v.pipe(v.number(), v.integer()),
          memo: v.nullish(v.string()),
        }),
        {
          topic,
          namespace: "pay",
          connection: new Connection({ schemaRegistryUrl: registryUrl() }),
        },
      );
      const ours = await Payment.encode({ id: "p1", cents: 1250, memo: null });

      const deserializer = new sr.AvroDeserializer(client, sr.SerdeType.VALUE, {});
      const theirsRead = await deserializer.deserialize(topic, Buffer.from(ours));
      assert.deepEqual({ ...theirsRead }, { id: "p1", cents: 1250, memo: null });

      const serializer = new sr.AvroSerializer(client, sr.SerdeType.VALUE, {
        useLatestVersion: true,
      });
      const theirs: Uint8Array = await serializer.serialize(topic, {
        id: "p2",
        cents: 99,
        memo: "hi",
      });
      assert.equal(theirs[0], 0);
      assert.deepEqual(await Payment.decode(new Uint8Array(theirs)), {
        id: "p2",
        cents: 99,
        memo: "hi",
      });
    },
  );
}

if (runsOn(["node"])) {
  test("Confluent's serde reads our decimals as unscaled bytes, our longs exactly, and our keys", {
    timeout: 60_000,
  }, async () => {
    const { sr, client } = await confluent();
    const avsc = (await import("avsc")).default;
    const topic = uniqueName("interop-exact");
    const Invoice = defineModel(
      "Invoice",
      InvoiceSchema,
      {
        topic,
        namespace: "pay",
        keySchema: v.object({ id: v.string() }),
        connection: new Connection({ schemaRegistryUrl: registryUrl() }),
      },
    );
    // How a Confluent user holds 64-bit longs: avsc's own custom long hook.
    const bigLong = avsc.types.LongType.__with({
      fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
      toBuffer: (n: bigint) => {
        const buf = Buffer.alloc(8);
        buf.writeBigInt64LE(n);
        return buf;
      },
      fromJSON: BigInt,
      toJSON: Number,
      isValid: (n: unknown) => typeof n === "bigint",
      compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
    });
    const value = { id: "i-1", total: "-1234.56", serial: 2n ** 63n - 1n };
    const ours = await Invoice.encode(value);
    const deserializer = new sr.AvroDeserializer(client, sr.SerdeType.VALUE, {
      registry: { long: bigLong },
    });
    const read = await deserializer.deserialize(topic, Buffer.from(ours));
    assert.equal(read.id, "i-1");
    assert.equal(read.serial, 2n ** 63n - 1n);
    // -123456 as two's-complement big-endian bytes.
    assert.deepEqual([...read.total], [0xfe, 0x1d, 0xc0]);

    const serializer = new sr.AvroSerializer(client, sr.SerdeType.VALUE, {
      useLatestVersion: true,
      registry: { long: bigLong },
    });
    const theirs: Uint8Array = await serializer.serialize(topic, {
      id: "i-2",
      total: Buffer.from([0x00, 0x80]), // 128 -> "1.28"
      serial: -(2n ** 63n),
    });
    assert.deepEqual(await Invoice.decode(new Uint8Array(theirs)), {
      id: "i-2",
      total: "1.28",
      serial: -(2n ** 63n),
    });

    const keyBytes = await Invoice.encodeKey({ id: "i-1" });
    const keys = new sr.AvroDeserializer(client, sr.SerdeType.KEY, {});
    assert.deepEqual({ ...(await keys.deserialize(topic, Buffer.from(keyBytes))) }, { id: "i-1" });
    const keySerializer = new sr.AvroSerializer(client, sr.SerdeType.KEY, {
      useLatestVersion: true,
    });
    const theirKey: Uint8Array = await keySerializer.serialize(topic, { id: "i-9" });
    assert.deepEqual(await Invoice.decodeKey(new Uint8Array(theirKey)), { id: "i-9" });
  });
}
