/** Latch: the stop switch the loop's waits listen to, without listeners piling up on one signal. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Latch, within } from "../../src/loop/latch.ts";

test("latch: sleeps end early when it turns on; signals abort; late callbacks run at once", {
  timeout: 60_000,
}, async () => {
  const latch = new Latch();
  assert.equal(await latch.sleep(1), true);
  const sleeping = Array.from({ length: 1_000 }, () => latch.sleep(60_000));
  const { signal, release } = latch.signal();
  const released = latch.signal();
  released.release();
  let called = 0;
  latch.whenOn(() => called++);
  latch.turnOn();
  latch.turnOn();
  assert.deepEqual(new Set(await Promise.all(sleeping)), new Set([false]));
  assert.equal(signal.aborted, true);
  assert.equal(released.signal.aborted, false, "a released signal is left alone");
  release();
  assert.equal(called, 1);
  latch.whenOn(() => called++);
  assert.equal(called, 2);
  assert.equal(await latch.sleep(60_000), false);
});

test("within: true when the promise settles in time (rejections included), false otherwise", {
  timeout: 60_000,
}, async () => {
  assert.equal(await within(Promise.resolve(), 1_000), true);
  assert.equal(await within(Promise.reject(new Error("x")), 1_000), true);
  assert.equal(await within(new Promise(() => {}), 10), false);
});
