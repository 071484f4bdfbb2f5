import assert from "node:assert/strict";
import { runtime as harnessRuntime, test } from "./harness.ts";
import { denoNamespace, detectRuntime, runtime } from "../src/runtime.ts";

test("runtime: detected once, the same as the test harness sees", () => {
  assert.equal(runtime, harnessRuntime);
  assert.equal(detectRuntime({ Deno: {} }), "deno");
  assert.equal(detectRuntime({ Bun: {} }), "bun");
  assert.equal(detectRuntime({}), "node");
  assert.equal(denoNamespace() !== undefined, runtime === "deno");
});
