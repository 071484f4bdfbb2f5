/** The worker's rules that need no broker: choosing loops, refusing non-loops, the health verdicts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, WorkerError } from "../../src/errors.ts";
import { LoopHealth } from "../../src/loop/health.ts";
import { runWorker } from "../../src/worker/run_worker.ts";
import type { WorkerLoop } from "../../src/worker/types.ts";

const quiet = { info() {}, warn() {}, error() {} };
const options = { logger: quiet, handleSignals: false } as const;

test("--only naming no loop is a ConfigError listing the loops", async () => {
  const factory = () => ({}) as WorkerLoop;
  await assert.rejects(
    runWorker({ orders: factory, payments: factory }, { ...options, only: ["order"] }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.message === "no loop named order: the loops are orders, payments",
  );
});

test("a factory that returns no loop ends the worker at once, naming it", async () => {
  let calls = 0;
  await assert.rejects(
    runWorker({
      helper: () => {
        calls++;
        return { not: "a loop" } as unknown as WorkerLoop;
      },
    }, { ...options, restartDelayMs: 1 }),
    (error: unknown) =>
      error instanceof WorkerError && error.loop === "helper" && error.restarts === 0 &&
      error.cause instanceof ConfigError && /not a ConsumerLoop/.test(error.message),
  );
  assert.equal(calls, 1, "not restarted");
});

test("health: ready once every consumer is assigned; stuck when polls or a handler outlast the interval", () => {
  const health = new LoopHealth();
  health.starting(2);
  const source = health.stage("g", 1_000);
  assert.equal(health.state, "starting");
  const retry = health.stage("g.retry", 1_000);
  assert.equal(health.state, "running");
  assert.equal(health.ready(), false);
  source.assigned = true;
  retry.assigned = true; // an empty assignment counts
  assert.equal(health.ready(), true);
  const now = Date.now();
  assert.equal(health.stuck(now), undefined);
  retry.lastPollAt = now - 1_500;
  assert.match(health.stuck(now)!, /^group g\.retry has not polled for 1500 ms/);
  retry.lastPollAt = now;
  const busy = health.handlerStarted("t[0]@7", 1_000);
  assert.equal(health.stuck(now + 500), undefined);
  source.lastPollAt = retry.lastPollAt = now + 2_000; // still polling: only the handler is late
  assert.match(health.stuck(now + 2_000)!, /handler has been running for \d+ ms on t\[0\]@7/);
  health.handlerEnded(busy);
  assert.equal(health.stuck(now + 2_000), undefined);
  health.state = "stopping";
  assert.equal(health.ready(), false);
});
