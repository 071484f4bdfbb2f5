import assert from "node:assert/strict";
import { test } from "node:test";
import { OffsetTracker } from "../../src/loop/offset_tracker.ts";
import { retryDelay } from "../../src/loop/backoff.ts";
import { KeyScheduler } from "../../src/loop/key_scheduler.ts";
import { FailureHeader, failureHeaders, headerText, originOf } from "../../src/loop/headers.ts";

test("watermark commits only below the first unfinished offset", () => {
  const tracker = new OffsetTracker();
  for (const offset of [10, 11, 12, 13]) tracker.begin(offset);
  assert.equal(tracker.committable(), undefined);
  tracker.finish(12);
  tracker.finish(11);
  assert.equal(tracker.committable(), undefined);
  tracker.finish(10);
  assert.equal(tracker.committable(), 13);
  tracker.finish(13);
  assert.equal(tracker.committable(), 14);
  assert.equal(tracker.inFlight, 0);
});

test("backoff grows as configured and is capped", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelay(n, 100, "exponential", 500)), [
    100,
    200,
    400,
    500,
  ]);
  assert.deepEqual([1, 2, 3].map((n) => retryDelay(n, 100, "linear", 1000)), [100, 200, 300]);
  assert.deepEqual([1, 2, 3].map((n) => retryDelay(n, 100, "fixed", 1000)), [100, 100, 100]);
});

test("scheduler keeps per-key order and bounds concurrency", async () => {
  const scheduler = new KeyScheduler(3);
  let running = 0;
  let peak = 0;
  const seen = new Map<string, number[]>();
  const tasks = [];
  for (let i = 0; i < 30; i++) {
    const key = `k${i % 5}`;
    tasks.push(scheduler.submit(key, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, (i * 7) % 11));
      seen.set(key, [...(seen.get(key) ?? []), i]);
      running--;
    }));
  }
  await Promise.all(tasks);
  assert.equal(peak, 3);
  for (const [key, order] of seen) {
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `order of ${key}`);
    assert.equal(order.length, 6);
  }
});

test("scheduler with one slot runs tasks one at a time in submission order, past failures", async () => {
  const scheduler = new KeyScheduler(1);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const tasks = Array.from(
    { length: 12 },
    (_, i) =>
      scheduler.submit(i % 2 ? `k${i % 3}` : null, async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, (i * 7) % 5));
        order.push(i);
        running--;
        if (i === 4) throw new Error("task 4 fails");
      }),
  );
  const outcomes = await Promise.allSettled(tasks);
  assert.equal(peak, 1);
  assert.deepEqual(order, Array.from({ length: 12 }, (_, i) => i));
  assert.equal(outcomes[4].status, "rejected", "a failing task rejects its own promise only");
  assert.equal(outcomes.filter((o) => o.status === "rejected").length, 1);
});

test("failure headers keep user headers and name the original topic", () => {
  const user = [["trace", new TextEncoder().encode("abc")] as const];
  const first = failureHeaders(user, {
    origin: { topic: "orders", partition: 2, offset: 7, timestamp: 1000 },
    attempt: 1,
    error: new TypeError("boom"),
    dueMs: 5000,
  });
  const forwarded = {
    topic: "g.orders.retry.1",
    partition: 2,
    offset: 0,
    timestamp: 2000,
    headers: first,
  };
  assert.deepEqual(originOf(forwarded), {
    topic: "orders",
    partition: 2,
    offset: 7,
    timestamp: 1000,
  });
  const second = failureHeaders(first, {
    origin: originOf(forwarded),
    attempt: 2,
    error: new Error("again"),
  });
  assert.equal(headerText(second, "trace"), "abc");
  assert.equal(headerText(second, FailureHeader.attempt), "2");
  assert.equal(headerText(second, FailureHeader.errorClass), "Error");
  assert.equal(headerText(second, FailureHeader.originalTopic), "orders");
  assert.equal(headerText(second, FailureHeader.retryDue), undefined);
  assert.equal(second.filter(([name]) => name === FailureHeader.attempt).length, 1);
});

test("scheduler runs a task that may start at once before submit returns, keeping order", async () => {
  for (const limit of [1, 3]) {
    const scheduler = new KeyScheduler(limit);
    const ran: string[] = [];
    assert.equal(scheduler.submit("k", () => void ran.push("a")), undefined, "done at once");
    assert.deepEqual(ran, ["a"]);
    let release = () => {};
    const slow = scheduler.submit("k", () => {
      ran.push("b");
      return new Promise<void>((resolve) => release = resolve);
    });
    assert.ok(slow instanceof Promise, "a task still running has a promise");
    const after = scheduler.submit("k", () => void ran.push("c"));
    assert.deepEqual(ran, ["a", "b"], `limit ${limit}: c waits for b, its key's predecessor`);
    const other = scheduler.submit("other", () => void ran.push("d"));
    if (limit === 1) assert.deepEqual(ran, ["a", "b"], "one slot: everything waits for b");
    else assert.deepEqual(ran, ["a", "b", "d"], "another key with a free slot runs at once");
    release();
    await Promise.all([slow, after, other]);
    assert.deepEqual(ran, limit === 1 ? ["a", "b", "c", "d"] : ["a", "b", "d", "c"]);
    assert.equal(scheduler.submit("k", () => void ran.push("e")), undefined, "idle again");
    await assert.rejects(
      scheduler.submit(null, () => {
        throw new Error("f fails");
      })!,
      /f fails/,
    );
    assert.equal(scheduler.submit(null, () => void ran.push("g")), undefined, "past a failure");
  }
});
