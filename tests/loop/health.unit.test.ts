/** LoopHealth's running handlers: slots are reused, and the longest-running late handler is named. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { LoopHealth } from "../../src/loop/health.ts";

test("health: the longest-running late handler is named; ended handlers free their slot", {
  timeout: 60_000,
}, async () => {
  const health = new LoopHealth();
  health.starting(1);
  health.stage("g", 60_000).assigned = true;
  const now = Date.now();
  const brief = health.handlerStarted("t[0]@1", 1_000);
  const oldest = health.handlerStarted("t[0]@2", 1_000);
  health.handlerEnded(brief);
  health.handlerEnded(brief); // twice: still one free slot, not two handlers in one
  await new Promise((resolve) => setTimeout(resolve, 30));
  const newer = health.handlerStarted({ topic: "t", partition: 1, offset: 9 }, 100);
  assert.equal(newer, brief, "the freed slot is reused");
  const another = health.handlerStarted("t[2]@3", 1_000);
  assert.notEqual(another, newer, "a slot freed twice holds one handler");
  assert.notEqual(another, oldest);
  assert.equal(health.stuck(now + 50), undefined);
  assert.match(health.stuck(now + 500)!, /on t\[1\]@9 \(max\.poll\.interval\.ms 100\)/);
  // Both are late by then, the one in the later slot longest: it is the one named.
  assert.match(health.stuck(now + 1_500)!, /on t\[0\]@2 \(max\.poll\.interval\.ms 1000\)/);
  health.handlerEnded(oldest);
  health.handlerEnded(another);
  assert.match(health.stuck(now + 1_500)!, /on t\[1\]@9/);
  health.handlerEnded(newer);
  assert.equal(health.stuck(now + 10_000), undefined);
});
