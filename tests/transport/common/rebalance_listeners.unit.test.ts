import assert from "node:assert/strict";
import { test } from "node:test";
import { TransportError } from "../../../src/errors.ts";
import { RebalanceListeners } from "../../../src/transport/common/rebalance_listeners.ts";
import type { RebalanceEvent } from "../../../src/transport/types.ts";

const assign: RebalanceEvent = { type: "assign", partitions: [{ topic: "t", partition: 0 }] };

test("rebalance listeners: a throwing one is reported, the rest run, the failure is taken once", {
  timeout: 60_000,
}, () => {
  const reported: TransportError[] = [];
  const listeners = new RebalanceListeners((error) => reported.push(error));
  const seen: string[] = [];
  listeners.add(() => {
    throw new Error("boom");
  });
  const stop = listeners.add((event) => seen.push(event.type));
  listeners.emit(assign);
  assert.deepEqual(seen, ["assign"]);
  assert.equal(reported.length, 1);
  assert.ok(reported[0] instanceof TransportError);
  assert.equal(reported[0].message, "a rebalance listener threw on assign of t[0]: boom");
  assert.equal(listeners.failed, true);
  assert.throws(() => listeners.throwFailure(), (error) => error === reported[0]);
  assert.doesNotThrow(() => listeners.throwFailure());
  stop();
  listeners.emit(assign);
  assert.deepEqual(seen, ["assign"]);
});

test("rebalance listeners: a throwing onError hook does not stop the rebalance", {
  timeout: 60_000,
}, () => {
  const listeners = new RebalanceListeners(() => {
    throw new Error("hook");
  });
  let called = 0;
  listeners.add(() => {
    throw new Error("first");
  });
  listeners.add(() => void called++);
  listeners.emit(assign);
  assert.equal(called, 1);
  assert.throws(() => listeners.throwFailure(), /first/);
});
