/** Generated model modules compile, run, and describe the schema they came from. */
import assert from "node:assert/strict";
import { generateModelSource } from "../../src/avro/generate_model_source.ts";
import { Connection } from "../../src/config/connection.ts";
import { debeziumRecord, envelopeSchema, updateEvent } from "./debezium_envelope.ts";

const schema = {
  type: "record",
  name: "Node",
  namespace: "graph",
  fields: [
    { name: "id", type: { type: "string", logicalType: "uuid" } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "weight", type: "double", default: 1.5 },
    { name: "color", type: { type: "enum", name: "Color", symbols: ["RED", "BLUE"] } },
    { name: "labels", type: { type: "map", values: "string" } },
    {
      name: "owner",
      type: { type: "record", name: "Owner", fields: [{ name: "name", type: "string" }] },
    },
    { name: "next", type: ["null", "Node"], default: null },
  ],
};

Deno.test("a generated module imports, type-checks and round-trips to the same Avro schema [deno]", async () => {
  const source = generateModelSource(schema, {
    modelName: "GraphNode",
    settings: { topic: "graph", namespace: "graph" },
    importFrom: new URL("../../mod.ts", import.meta.url).href,
  });
  assert.match(
    source,
    /const NodeSchema: v\.GenericSchema = /,
    "recursive record typed for TypeScript",
  );
  assert.match(source, /const OwnerSchema = /);
  await Deno.mkdir(".flowodm/scratch", { recursive: true });
  const path = await Deno.makeTempFile({ dir: ".flowodm/scratch", suffix: ".ts" });
  await Deno.writeTextFile(path, source);
  const check = await new Deno.Command("deno", { args: ["check", path], stderr: "piped" }).output();
  assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
  const { GraphNode } = await import(new URL(path, `file://${Deno.cwd()}/`).href);
  assert.deepEqual(GraphNode.avroSchema, schema);
  await Deno.remove(path);
});

Deno.test("a module generated from Debezium's subject reads Debezium's change event [deno]", async () => {
  const source = generateModelSource(envelopeSchema, {
    modelName: "Envelope", // as `flowodm generate` names it: the record's name
    settings: { topic: "shop.public.customers", namespace: "shop.public.customers" },
    importFrom: new URL("../../mod.ts", import.meta.url).href,
  });
  assert.match(source, /"namespace":"io\.debezium\.connector\.postgresql"/);
  await Deno.mkdir(".flowodm/scratch", { recursive: true });
  const path = await Deno.makeTempFile({ dir: ".flowodm/scratch", suffix: ".ts" });
  try {
    await Deno.writeTextFile(path, source);
    const check = await new Deno.Command("deno", { args: ["check", path], stderr: "piped" })
      .output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
    const { Envelope } = await import(new URL(path, `file://${Deno.cwd()}/`).href);
    assert.deepEqual(Envelope.avroSchema, envelopeSchema);
    const scope = `dbz-gen-${crypto.randomUUID()}`;
    const connection = new Connection({
      bootstrapServers: `memory://${scope}`,
      schemaRegistryUrl: `mock://${scope}`,
    });
    const bytes = await debeziumRecord(connection, "shop.public.customers-value");
    const event = await Envelope.withConnection(connection).decode(bytes);
    assert.deepEqual(event.after, updateEvent.after);
    assert.equal(event.source.ts_ns, updateEvent.source.ts_ns);
    assert.equal(event.op, "u");
  } finally {
    await Deno.remove(path);
  }
});
