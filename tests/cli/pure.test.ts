/** The CLI's pure parts, on every runtime: tables, schema differences, model recognition, exit codes. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "../harness.ts";
import { formatTable } from "../../src/cli/table.ts";
import { splitCommand } from "../../src/cli/args.ts";
import { compareSchemas } from "../../src/cli/schema_diff.ts";
import { ExitCode, exitCodeOf } from "../../src/cli/exit_codes.ts";
import {
  ConfigError,
  defineModel,
  isModel,
  RegistryError,
  SchemaError,
  ValidationError,
} from "../../mod.ts";

test("tables align columns to the widest cell and colour after padding", () => {
  const red = (text: string) => `<${text}>`;
  const table = formatTable(["NAME", "STATUS", "N"], [
    ["a-long-name", { text: "ok", paint: red }, 1],
    ["b", "invalid", 22],
  ]);
  assert.equal(
    table,
    ["NAME         STATUS   N", "a-long-name  <ok     >  1", "b            invalid  22"].join("\n"),
  );
});

test("schema differences: equal, documentation only, and field by field", () => {
  const kept = {
    type: "record",
    name: "R",
    fields: [{ name: "a", type: "string", doc: "old" }, { name: "b", type: "int" }],
  };
  assert.deepEqual(compareSchemas(kept, structuredClone(kept), "r.avsc"), {
    errors: [],
    warnings: [],
  });
  const redocumented = structuredClone(kept);
  redocumented.fields[0].doc = "new";
  const docs = compareSchemas(kept, redocumented, "r.avsc");
  assert.deepEqual(docs.errors, []);
  assert.match(docs.warnings[0], /^documentation differs from r\.avsc: fields\.a\.doc/);
  const changed = {
    type: "record",
    name: "R",
    fields: [{ name: "b", type: "long" }, { name: "c", type: "string" }, {
      name: "a",
      type: "string",
      doc: "old",
    }],
  };
  assert.deepEqual(compareSchemas(kept, changed, "r.avsc").errors, [
    'differs from r.avsc at fields.b.type: file has "int", model has "long"',
    'differs from r.avsc at fields.c: file has nothing, model has {"name":"c","type":"string"}',
  ]);
});

test("isModel recognises models and nothing else", () => {
  const model = defineModel("M", v.object({ id: v.string() }), { topic: "t" });
  assert.equal(isModel(model), true);
  assert.equal(isModel({ ...model, settings: {} }), false);
  assert.equal(isModel({ name: "M", subject: "t-value" }), false);
  assert.equal(isModel(null), false);
  assert.equal(isModel(v.object({})), false);
});

test("exit codes: verdicts 1, usage 2, registry 3", () => {
  assert.equal(exitCodeOf(new SchemaError("x")), ExitCode.checkFailed);
  assert.equal(exitCodeOf(new ValidationError("M", [])), ExitCode.checkFailed);
  assert.equal(exitCodeOf(new RegistryError("x", { status: 409 })), ExitCode.checkFailed);
  assert.equal(exitCodeOf(new RegistryError("x", { status: 422 })), ExitCode.checkFailed);
  assert.equal(exitCodeOf(new ConfigError("x")), ExitCode.usage);
  assert.equal(exitCodeOf(new RegistryError("x", { status: 404 })), ExitCode.registry);
  assert.equal(exitCodeOf(new RegistryError("x")), ExitCode.registry);
});

test("the command word is found around global options and their values", () => {
  assert.deepEqual(splitCommand(["--registry-url", "http://r", "validate", "--strict"]), {
    name: "validate",
    rest: ["--registry-url", "http://r", "--strict"],
  });
  assert.deepEqual(splitCommand(["--json", "--registry-url=http://r", "list-subjects"]), {
    name: "list-subjects",
    rest: ["--json", "--registry-url=http://r"],
  });
  assert.deepEqual(splitCommand(["--help"]), { rest: ["--help"] });
});
