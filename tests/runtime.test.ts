import assert from "node:assert/strict";
import { test } from "node:test";
import { runtime as harnessRuntime } from "./support.ts";
import { denoNamespace, detectRuntime, runtime } from "../src/runtime.ts";

test("runtime: detected once, the same as the test harness sees", { timeout: 60_000 }, () => {
  assert.equal(runtime, harnessRuntime);
  assert.equal(detectRuntime({ Deno: {} }), "deno");
  assert.equal(detectRuntime({ Bun: {} }), "bun");
  assert.equal(detectRuntime({}), "node");
  assert.equal(denoNamespace() !== undefined, runtime === "deno");
});
