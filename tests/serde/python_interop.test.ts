/**
 * Confluent's Python serde (confluent-kafka with fastavro, the bootstrap venv)
 * reads our decimals as `Decimal` and our bigint longs as exact ints, and we
 * read what it writes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { InvoiceSchema } from "./invoice.ts";
import { defineModel } from "../../src/model/define_model.ts";

const python = ".flowodm/python/bin/python";

const script = `
import sys, json, decimal
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import SerializationContext, MessageField
url, topic, framed = sys.argv[1:4]
client = SchemaRegistryClient({"url": url})
ctx = SerializationContext(topic, MessageField.VALUE)
value = AvroDeserializer(client)(bytes.fromhex(framed), ctx)
print(json.dumps({k: repr(v) for k, v in value.items()}))
schema = client.get_latest_version(f"{topic}-value").schema.schema_str
write = AvroSerializer(client, schema, conf={"auto.register.schemas": False, "use.latest.version": True})
print(write({"id": "py", "total": decimal.Decimal("-0.07"), "serial": -(2**63)}, ctx).hex())
`;

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

if (runsOn(["deno"])) {
  test(
    "Python's Confluent serde and ours agree on decimals and 64-bit longs",
    { timeout: 90_000 },
    async () => {
      assert.ok(existsSync(python), `${python} is missing: run deno task setup`);
      const topic = uniqueName("py-exact");
      const Invoice = defineModel(
        "Invoice",
        InvoiceSchema,
        {
          topic,
          namespace: "pay",
          connection: new Connection({ schemaRegistryUrl: registryUrl() }),
        },
      );
      const ours = await Invoice.encode({ id: "ts", total: "-1234.5", serial: 2n ** 63n - 1n });
      const [read, theirs] = execFileSync(python, ["-c", script, registryUrl(), topic, hex(ours)], {
        encoding: "utf8",
        timeout: 60_000,
      }).trim().split("\n");
      assert.deepEqual(JSON.parse(read), {
        id: "'ts'",
        total: "Decimal('-1234.50')",
        serial: String(2n ** 63n - 1n),
      });
      const bytes = Uint8Array.from(theirs.match(/../g)!, (b) => parseInt(b, 16));
      assert.deepEqual(await Invoice.decode(bytes), {
        id: "py",
        total: "-0.07",
        serial: -(2n ** 63n),
      });
    },
  );
}
