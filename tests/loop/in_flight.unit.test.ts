/** The runner's count of messages in flight, and its waits for the count to fall. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InFlight } from "../../src/loop/in_flight.ts";

test("in flight: atMost(n) resolves once the count falls to n, and not before", async () => {
  const inFlight = new InFlight();
  for (let i = 0; i < 4; i++) inFlight.started();
  let woken = 0;
  const toTwo = inFlight.atMost(2).then(() => woken++);
  const toTwoAgain = inFlight.atMost(2).then(() => woken++);
  inFlight.finished();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(woken, 0, "3 in flight: not yet");
  inFlight.finished();
  await Promise.all([toTwo, toTwoAgain]);
  assert.equal(woken, 2, "2 in flight: both waiters woken");
  let empty = false;
  const toZero = inFlight.atMost(0).then(() => empty = true);
  inFlight.finished();
  await Promise.resolve();
  assert.equal(empty, false);
  inFlight.finished();
  await toZero;
  assert.equal(inFlight.count, 0);
  await inFlight.atMost(5); // already there: at once
});

test("in flight: settled() is true when all finish in time, false when one outlasts it", async () => {
  const inFlight = new InFlight();
  assert.equal(await inFlight.settled(10), true);
  inFlight.started();
  inFlight.started();
  setTimeout(() => inFlight.finished(), 5);
  setTimeout(() => inFlight.finished(), 15);
  assert.equal(await inFlight.settled(5_000), true);
  inFlight.started();
  assert.equal(await inFlight.settled(20), false);
  assert.equal(inFlight.count, 1);
});
