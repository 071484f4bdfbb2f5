/** The CLI's pure parts, on every runtime: tables, schema differences, model recognition, exit codes. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { formatTable } from "../../src/cli/table.ts";
import { splitCommand } from "../../src/cli/args.ts";
import { compareSchemas } from "../../src/cli/schema_diff.ts";
import { ExitCode, exitCodeOf } from "../../src/cli/exit_codes.ts";
import { importFailure } from "../../src/cli/import_failure.ts";
import { isLibraryModule } from "../../src/cli/provided_modules.ts";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  // A 404 without Confluent's "not found" codes is not known to be a missing subject.
  assert.equal(exitCodeOf(new RegistryError("x", { status: 404 })), ExitCode.registry);
  for (const errorCode of [40401, 40402, 40403, 40404]) {
    assert.equal(exitCodeOf(new RegistryError("x", { status: 404, errorCode })), 1, `${errorCode}`);
  }
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

test("the binary serves its library for a checkout's mod.ts and src/, and a package's modules", () => {
  const dir = mkdtempSync(join(tmpdir(), "flowodm-lib-"));
  try {
    const write = (path: string, text = "") => {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write("flowodm/deno.json", JSON.stringify({ name: "@flowodm/flowodm" }));
    write("app/node_modules/@flowodm/flowodm/package.json", '{"name":"@jsr/flowodm__flowodm"}');
    write("other/deno.json", JSON.stringify({ name: "@someone/else" }));
    const cases: [string, boolean][] = [
      ["flowodm/mod.ts", true],
      ["flowodm/src/model/define_model.ts", true],
      ["flowodm/examples/models.ts", false], // a user's models inside a checkout
      ["app/node_modules/@flowodm/flowodm/esm/mod.js", true],
      ["app/node_modules/@flowodm/flowodm/node_modules/x/index.js", false],
      ["app/models.ts", false],
      ["other/mod.ts", false],
    ];
    for (const [path, expected] of cases) {
      assert.equal(isLibraryModule(join(dir, path)), expected, path);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("import failures: Bun's located syntax errors, and the portable way for Deno.env", () => {
  const buildMessage = Object.assign(new Error("Unexpected ;"), {
    position: { file: "/m/syntax.ts", line: 3, column: 7, lineText: "  const x = (;" },
  });
  assert.equal(
    importFailure(buildMessage).reason,
    "Unexpected ; at /m/syntax.ts:3:7 (const x = (;)",
  );
  const several = new AggregateError([buildMessage, new Error("Unexpected }")], "2 errors");
  assert.equal(
    importFailure(several).reason,
    "Unexpected ; at /m/syntax.ts:3:7 (const x = (;); Unexpected }",
  );
  const deno = importFailure(new ReferenceError("Deno is not defined"));
  assert.match(deno.hint ?? "", /process\.env/);
  assert.equal(importFailure(new Error("other")).hint, undefined);
});
