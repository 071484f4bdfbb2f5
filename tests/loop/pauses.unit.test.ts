/** PauseCounts (a partition resumes after its last pause) and Backpressure, on a recording consumer. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Backpressure, PauseCounts } from "../../src/loop/pauses.ts";
import type { TopicPartition } from "../../src/transport/types.ts";

function recordingConsumer(assigned: TopicPartition[]) {
  const calls: string[] = [];
  const name = (tps: readonly TopicPartition[]) => tps.map((tp) => `${tp.topic}/${tp.partition}`);
  return {
    calls,
    assigned,
    pause: (tps: readonly TopicPartition[]) => void calls.push(`pause ${name(tps)}`),
    resume: (tps: readonly TopicPartition[]) => void calls.push(`resume ${name(tps)}`),
    assignment: () => [...assigned],
  };
}

const p0 = { topic: "t", partition: 0 };
const p1 = { topic: "t", partition: 1 };

test("pauses: counted; the consumer pauses on the first and resumes after the last", {
  timeout: 60_000,
}, () => {
  const consumer = recordingConsumer([p0, p1]);
  const pauses = new PauseCounts(consumer);
  pauses.pause(p0);
  pauses.pause(p0);
  assert.equal(pauses.count(p0), 2);
  pauses.resume(p0);
  assert.deepEqual(consumer.calls, ["pause t/0"]);
  pauses.resume(p0);
  assert.deepEqual(consumer.calls, ["pause t/0", "resume t/0"]);
  assert.equal(pauses.count(p0), 0);
});

test("pauses: a partition no longer assigned is not resumed; a forgotten one starts at zero", {
  timeout: 60_000,
}, () => {
  const consumer = recordingConsumer([p0, p1]);
  const pauses = new PauseCounts(consumer);
  pauses.pause(p1);
  consumer.assigned.splice(1, 1);
  pauses.resume(p1);
  assert.deepEqual(consumer.calls, ["pause t/1"]);
  pauses.pause(p0);
  pauses.forget(p0);
  assert.equal(pauses.count(p0), 0);
});

test("backpressure: waits while full, pauses everything after pauseAfterMs, resumes when room", {
  timeout: 60_000,
}, () => {
  let now = 1_000;
  const consumer = recordingConsumer([p0, p1]);
  const pauses = new PauseCounts(consumer);
  const backpressure = new Backpressure(pauses, consumer, 500, () => now);
  assert.equal(backpressure.shouldWait(false), false, "room: poll");
  assert.equal(backpressure.shouldWait(true), true, "just full: wait for a handler");
  now += 499;
  assert.equal(backpressure.shouldWait(true), true);
  assert.deepEqual(consumer.calls, []);
  now += 1;
  assert.equal(backpressure.shouldWait(true), false, "paused: poll to stay in the group");
  assert.deepEqual(consumer.calls, ["pause t/0", "pause t/1"]);
  assert.deepEqual(backpressure.paused, [p0, p1]);
  pauses.pause(p0); // a retry's own pause outlives the backpressure
  assert.equal(backpressure.shouldWait(false), false);
  assert.deepEqual(consumer.calls.slice(2), ["resume t/1"]);
  assert.deepEqual(backpressure.paused, []);
});
