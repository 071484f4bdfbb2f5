/**
 * The stackless-run convention of scripts/test.ts: which files are unit tests,
 * and a guard that no unit test reaches for the stack's addresses.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { isUnitTest } from "../../scripts/test/files.ts";
import { test } from "node:test";

test("x.unit.test.ts and x.unit.<runtime>.test.ts are unit tests; others are not", () => {
  assert.ok(isUnitTest("./tests/avro/to_avro_schema.unit.test.ts"));
  assert.ok(isUnitTest("./tests/avro/generate.unit.deno.test.ts"));
  assert.ok(!isUnitTest("./tests/model/kafka_operations.test.ts"));
  assert.ok(!isUnitTest("./tests/cli/cli.deno.test.ts"));
  assert.ok(!isUnitTest("./tests/unit/thing.test.ts"), "the name decides, not the folder");
});

test("no unit test file uses the stack's addresses or servers", async () => {
  const files = (await readdir("tests", { recursive: true }))
    .map((path) => `tests/${path}`.replaceAll("\\", "/"))
    .filter(isUnitTest)
    .filter((file) => !file.endsWith("scripts/files.unit.test.ts")); // names the patterns itself
  assert.ok(files.length > 5, `unit test files found: ${files.length}`);
  const stackUse =
    /kafkaBootstrap\(|registryUrl\(|FLOWODM_[A-Z_]*(STACK|BOOTSTRAP|URL)|KAFKA_CONNECT_URL/;
  for (const file of files) {
    const text = await readFile(file, "utf8");
    assert.ok(!stackUse.test(text), `${file} is named a unit test but uses the stack`);
  }
});
