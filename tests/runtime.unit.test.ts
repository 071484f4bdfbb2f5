import assert from "node:assert/strict";
import { test } from "node:test";
import { runtime as harnessRuntime } from "./support.ts";
import {
  denoNamespace,
  detectRuntime,
  runtime,
  runtimeVersion,
  unrefTimer,
} from "../src/runtime.ts";

test("runtime: detected once, the same as the test harness sees", { timeout: 60_000 }, () => {
  assert.equal(runtime, harnessRuntime);
  assert.equal(detectRuntime({ Deno: {} }), "deno");
  assert.equal(detectRuntime({ Bun: {} }), "bun");
  assert.equal(detectRuntime({}), "node");
  assert.equal(denoNamespace() !== undefined, runtime === "deno");
  assert.match(runtimeVersion(), new RegExp(`^${runtime} \\d+\\.\\d+\\.\\d+`));
});

test("runtime: an unref'd timer still fires while something else keeps the process up", {
  timeout: 60_000,
}, async () => {
  let fired = false;
  const timer = setInterval(() => fired = true, 10);
  unrefTimer(timer);
  await new Promise((resolve) => setTimeout(resolve, 200));
  clearInterval(timer);
  assert.equal(fired, true);
});
