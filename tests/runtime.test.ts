import assert from "node:assert/strict";
import { runtime as harnessRuntime, test } from "./harness.ts";
import {
  denoNamespace,
  detectRuntime,
  runtime,
  runtimeVersion,
  unrefTimer,
} from "../src/runtime.ts";

test("runtime: detected once, the same as the test harness sees", () => {
  assert.equal(runtime, harnessRuntime);
  assert.equal(detectRuntime({ Deno: {} }), "deno");
  assert.equal(detectRuntime({ Bun: {} }), "bun");
  assert.equal(detectRuntime({}), "node");
  assert.equal(denoNamespace() !== undefined, runtime === "deno");
  assert.match(runtimeVersion(), new RegExp(`^${runtime} \\d+\\.\\d+\\.\\d+`));
});

test("runtime: an unref'd timer still fires while something else keeps the process up", async () => {
  let fired = false;
  const timer = setInterval(() => fired = true, 10);
  unrefTimer(timer);
  await new Promise((resolve) => setTimeout(resolve, 200));
  clearInterval(timer);
  assert.equal(fired, true);
});
