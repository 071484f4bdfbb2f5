/** What a handler receives: the message, its attempt, and a signal made on first read. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { HandlerContext } from "../../src/loop/handler_context.ts";
import { Latch } from "../../src/loop/latch.ts";
import type { DecodedMessage } from "../../src/model/consumed_message.ts";

const decoded: DecodedMessage<{ id: string }, string> = {
  key: "k",
  headers: [],
  topic: "t",
  partition: 1,
  offset: 7,
  timestamp: 1_000,
  tombstone: false,
  value: { id: "a" },
  schemaId: 3,
};

test("handler context: a copy ({ ...ctx }) keeps every field and the signal", () => {
  const aborting = new Latch();
  const context = new HandlerContext(decoded, 2, aborting);
  const copy = { ...context, extra: true };
  assert.deepEqual(Object.keys(context).sort(), [
    "attempt",
    "headers",
    "key",
    "offset",
    "partition",
    "schemaId",
    "signal",
    "timestamp",
    "tombstone",
    "topic",
    "value",
  ]);
  assert.equal(copy.attempt, 2);
  assert.equal(copy.offset, 7);
  assert.ok(copy.signal instanceof AbortSignal);
  assert.equal(copy.signal, context.signal, "one signal per call, however often read");
  aborting.turnOn();
  assert.equal(context.signal.aborted, true);
});

test("handler context: each call has its own signal, released when the call returns", () => {
  const aborting = new Latch();
  const first = new HandlerContext(decoded, 1, aborting);
  const second = new HandlerContext(decoded, 2, aborting);
  const firstSignal = first.signal;
  assert.notEqual(firstSignal, second.signal);
  HandlerContext.release(first as HandlerContext<unknown, unknown>);
  aborting.turnOn();
  assert.equal(firstSignal.aborted, false, "a released call no longer listens");
  assert.equal(second.signal.aborted, true);
  // A context whose handler never read the signal releases nothing and makes none.
  HandlerContext.release(
    new HandlerContext(decoded, 1, aborting) as HandlerContext<unknown, unknown>,
  );
});
