/** Generated model modules compile, run, and describe the schema they came from. */
import assert from "node:assert/strict";
import { generateModelSource } from "../../src/avro/generate_model_source.ts";

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
