/** The runner's count of messages in flight, and its wait for the next to finish. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InFlight } from "../../src/loop/in_flight.ts";

test("in flight: next() resolves when a message finishes, once for every waiter", async () => {
  const inFlight = new InFlight();
  inFlight.started();
  inFlight.started();
  let woken = 0;
  const first = inFlight.next().then(() => woken++);
  const second = inFlight.next().then(() => woken++);
  await Promise.resolve();
  assert.equal(woken, 0, "nothing finished yet");
  inFlight.finished();
  await Promise.all([first, second]);
  assert.equal(woken, 2);
  assert.equal(inFlight.count, 1);
  // A wait begun after the wake-up waits for the next finish, not the last one.
  let again = false;
  const third = inFlight.next().then(() => again = true);
  await Promise.resolve();
  assert.equal(again, false);
  inFlight.finished();
  await third;
  assert.equal(inFlight.count, 0);
  await inFlight.next(); // none in flight: at once
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
