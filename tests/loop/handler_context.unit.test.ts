/** What a handler receives: the message, its attempt, and the loop's abort signal. */
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
  const context = new HandlerContext(decoded, 2, aborting.sharedSignal());
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
  assert.deepEqual(copy.value, { id: "a" });
  assert.ok(copy.signal instanceof AbortSignal);
  assert.equal(copy.signal, context.signal);
  aborting.turnOn();
  assert.equal(copy.signal.aborted, true);
});

test("latch: one shared signal, made once, aborted when it turns on, many listeners allowed", () => {
  const aborting = new Latch();
  const signal = aborting.sharedSignal();
  assert.equal(aborting.sharedSignal(), signal);
  let heard = 0;
  const listeners = Array.from({ length: 50 }, () => () => heard++);
  for (const listener of listeners) signal.addEventListener("abort", listener);
  signal.removeEventListener("abort", listeners[0]);
  assert.equal(signal.aborted, false);
  aborting.turnOn();
  assert.equal(signal.aborted, true);
  assert.equal(heard, 49);
  // Turned on before the first call: the signal comes already aborted.
  const late = new Latch();
  late.turnOn();
  assert.equal(late.sharedSignal().aborted, true);
});
