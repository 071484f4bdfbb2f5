import assert from "node:assert/strict";
import { test } from "node:test";
import { countJUnit } from "../../scripts/test/junit.ts";

test("countJUnit classifies passes, failures, errors and skips", () => {
  const xml = `<testsuites><testsuite name="s">
    <testcase name="a"/>
    <testcase name="b"><failure message="x">boom</failure></testcase>
    <testcase name="c"><error message="y"/></testcase>
    <testcase name="d"><skipped/></testcase>
    <testcase name="e"></testcase>
  </testsuite></testsuites>`;
  assert.deepEqual(countJUnit(xml), {
    passed: 2,
    failed: 2,
    skipped: 1,
    failures: [{ name: "b", reason: "boom" }, { name: "c", reason: "y" }],
  });
});

test("countJUnit ignores Node's placeholder for a file without tests, but not its failure", () => {
  const xml = `<testsuites>
    <testcase name="/repo/tests/a.test.ts" time="0.2" classname="test"/>
    <testcase name="/repo/tests/b.test.ts" classname="test"><failure message="load">x</failure></testcase>
  </testsuites>`;
  assert.deepEqual(countJUnit(xml), {
    passed: 0,
    failed: 1,
    skipped: 0,
    failures: [{ name: "/repo/tests/b.test.ts", reason: "x" }],
  });
});

test("countJUnit reads names with an unescaped '>' as Node writes them", () => {
  const xml = `<testsuites>
    <testcase name="picklist -> enum [node]" time="0.1"/>
    <testcase name="a -> b [node]" time="0.1"><failure message="x">y</failure></testcase>
    <testcase name="plain [node]"/>
  </testsuites>`;
  assert.deepEqual(countJUnit(xml), {
    passed: 2,
    failed: 1,
    skipped: 0,
    failures: [{ name: "a -> b [node]", reason: "y" }],
  });
});

test("a failure's reason is its first lines, unescaped, as Deno and Bun write them", () => {
  const deno = `<testsuites><testcase name="t"><failure message="Uncaught AssertionError: short">` +
    `AssertionError: Expected values to be strictly equal:\n\n1 !== 2\n\n` +
    `    at f (file:///a.ts:3:1) &amp; &lt;more&gt;\n${
      "    at g\n".repeat(20)
    }</failure></testcase></testsuites>`;
  const bun = `<testsuites><testcase name="t"><failure type="Error" message="x">` +
    `Error: &quot;a&quot;&#10;  at b.ts:1:2&#10;</failure></testcase></testsuites>`;
  assert.deepEqual(countJUnit(deno).failures, [{
    name: "t",
    reason: [
      "AssertionError: Expected values to be strictly equal:",
      "1 !== 2",
      "    at f (file:///a.ts:3:1) & <more>",
      ...Array(7).fill("    at g"),
    ].join("\n"),
  }]);
  assert.deepEqual(countJUnit(bun).failures, [{ name: "t", reason: 'Error: "a"\n  at b.ts:1:2' }]);
});

test("countJUnit refuses a report cut short, which would otherwise count as green", () => {
  const cut = `<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n  <testcase name="a"/>\n`;
  assert.throws(() => countJUnit(cut), /incomplete/);
});
