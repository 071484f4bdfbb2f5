/** LoopHealth's running handlers: slots are reused, and the longest-running late handler is named. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { LoopHealth } from "../../src/loop/health.ts";

test("health: a late handler is named, the longest first; ended handlers free their slot", {
  timeout: 60_000,
}, () => {
  const health = new LoopHealth();
  health.starting(1);
  health.stage("g", 60_000).assigned = true;
  const now = Date.now();
  const first = health.handlerStarted("t[0]@1", 1_000);
  const second = health.handlerStarted({ topic: "t", partition: 1, offset: 9 }, 100);
  assert.notEqual(first, second);
  assert.match(health.stuck(now + 500)!, /on t\[1\]@9 \(max\.poll\.interval\.ms 100\)/);
  assert.match(health.stuck(now + 1_500)!, /on t\[0\]@1|on t\[1\]@9/);
  health.handlerEnded(second);
  health.handlerEnded(second); // twice: still one free slot, not two handlers in one
  assert.equal(health.stuck(now + 500), undefined);
  const third = health.handlerStarted("t[2]@3", 50);
  const fourth = health.handlerStarted("t[2]@4", 50);
  assert.equal(third, second, "the freed slot is reused");
  assert.notEqual(fourth, third);
  health.handlerEnded(first);
  health.handlerEnded(third);
  assert.match(health.stuck(now + 500)!, /on t\[2\]@4/);
  health.handlerEnded(fourth);
  assert.equal(health.stuck(now + 10_000), undefined);
});
