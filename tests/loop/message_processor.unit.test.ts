/**
 * One message through `processMessage`, without a consumer: what finishes a
 * message (handled, skipped without a dead letter topic), what leaves it
 * unfinished (a registry that fails stops the loop; a stop during backoff);
 * which messages are handled without a promise.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistryError } from "../../src/errors.ts";
import { processMessage } from "../../src/loop/message_processor.ts";
import { decodesNow } from "../../src/model/consumed_message.ts";
import type { ConsumerLoopOptions } from "../../src/loop/options.ts";
import { PauseCounts } from "../../src/loop/pauses.ts";
import { noTrace } from "../../src/telemetry/tracing.ts";
import type { IncomingMessage, Transport } from "../../src/transport/types.ts";
import { encode, loopParts } from "./loop_support.ts";

interface Value {
  readonly n: number;
}

function parts(options: Partial<ConsumerLoopOptions<Value>>) {
  const loop = loopParts<Value>({
    model: {
      settings: { topic: "t", consumerGroup: "g" },
      connection: { transport: () => Promise.reject(new Error("unused")) as Promise<Transport> },
      decode: (bytes) => Promise.resolve(JSON.parse(new TextDecoder().decode(bytes!))),
    },
    handler: () => {},
    ...options,
  });
  const paused: string[] = [];
  const pauses = new PauseCounts({
    pause: () => void paused.push("pause"),
    resume: () => void paused.push("resume"),
    assignment: () => [{ topic: "t", partition: 0 }],
  });
  return { loop, fatal: loop.fatalErrors, paused, pauses };
}

/** Parts whose model decodes without a wait, as a model whose writer schema is known does. */
function readyParts(options: Partial<ConsumerLoopOptions<Value>>) {
  const made = parts(options);
  decodesNow(made.loop.options.model, {
    valueNow: (bytes) => JSON.parse(new TextDecoder().decode(bytes)),
    keyNow: (bytes) => bytes === null ? null : new TextDecoder().decode(bytes),
  });
  return made;
}

const message = (value: string | null, key: string | null = "k"): IncomingMessage => ({
  topic: "t",
  partition: 0,
  offset: 4,
  timestamp: 1,
  key: key === null ? null : encode(key),
  value: value === null ? null : encode(value),
  headers: [],
});

test("processor: the handler gets the value and the consumed message; done when it returns", {
  timeout: 60_000,
}, async () => {
  const seen: unknown[] = [];
  const { loop, pauses } = parts({
    handler: (value, ctx) => void seen.push(value, ctx.key, ctx.attempt, ctx.tombstone),
  });
  const done = await processMessage(loop, {
    message: message('{"n":1}'),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  assert.equal(done, true);
  assert.deepEqual(seen, [{ n: 1 }, "k", 1, false]);
  assert.equal(loop.stats.processed, 1);
});

test("processor: without a dead letter topic, a failed message is logged, skipped and done", {
  timeout: 60_000,
}, async () => {
  const { loop, pauses, paused } = parts({
    handler: () => {
      throw new Error("nope");
    },
    maxRetries: 1,
    retryDelayMs: 1,
  });
  const tombstone = await processMessage(loop, {
    message: message(null),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  assert.equal(tombstone, true, "a tombstone without onTombstone is undecodable: skipped");
  const failed = await processMessage(loop, {
    message: message('{"n":2}'),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  assert.equal(failed, true);
  assert.equal(loop.stats.failed, 3, "the tombstone, then two attempts");
  assert.equal(loop.stats.retried, 1);
  assert.deepEqual(paused, ["pause", "resume"], "paused during the blocking retry's backoff");
});

test("processor: a registry that fails stops the loop and leaves the message unfinished", {
  timeout: 60_000,
}, async () => {
  const { loop, pauses, fatal } = parts({});
  const broken = {
    ...loop,
    options: {
      ...loop.options,
      model: {
        ...loop.options.model,
        decode: () => Promise.reject(new RegistryError("unauthorized", { status: 401 })),
      },
    },
  };
  const done = await processMessage(broken, {
    message: message('{"n":3}'),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  assert.equal(done, false);
  assert.ok(fatal[0] instanceof RegistryError);
  assert.equal(loop.stats.failed, 0, "not the message's fault");
});

test("processor: a stop during a blocking retry's backoff leaves the message unfinished", {
  timeout: 60_000,
}, async () => {
  const { loop, pauses } = parts({
    handler: () => {
      throw new Error("again");
    },
    maxRetries: 5,
    retryDelayMs: 60_000,
  });
  const processing = processMessage(loop, {
    message: message('{"n":4}'),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  setTimeout(() => loop.stopping.turnOn(), 20);
  assert.equal(await processing, false);
});

test("processor: a record that decodes at once, whose handler returns no promise, is done without one", () => {
  const seen: unknown[] = [];
  const { loop, pauses } = readyParts({ handler: (value) => void seen.push(value) });
  const done = processMessage(loop, {
    message: message('{"n":5}'),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  assert.equal(done, true, "true itself, not a promise of it");
  assert.deepEqual(seen, [{ n: 5 }]);
  assert.equal(loop.stats.processed, 1);
});

test("processor: an async handler, or one that throws at once, is settled through a promise", {
  timeout: 60_000,
}, async () => {
  const seen: unknown[] = [];
  const async = readyParts({
    handler: (value) => {
      seen.push(value);
      return Promise.resolve();
    },
  });
  const pending = processMessage(async.loop, {
    message: message('{"n":6}'),
    isRetry: false,
    pauses: async.pauses,
    trace: noTrace,
  });
  assert.ok(pending instanceof Promise);
  assert.equal(await pending, true);
  assert.deepEqual(seen, [{ n: 6 }]);

  let calls = 0;
  const throwing = readyParts({
    handler: () => {
      calls++;
      if (calls < 3) throw new Error(`attempt ${calls} fails`);
    },
    maxRetries: 3,
    retryDelayMs: 1,
  });
  const retried = processMessage(throwing.loop, {
    message: message('{"n":7}'),
    isRetry: false,
    pauses: throwing.pauses,
    trace: noTrace,
  });
  assert.ok(retried instanceof Promise, "a failed first attempt goes on with blocking retries");
  assert.equal(await retried, true);
  assert.equal(calls, 3, "two failures, then the third attempt succeeds");
  assert.equal(throwing.loop.stats.failed, 2);
  assert.equal(throwing.loop.stats.retried, 2);
  assert.equal(throwing.loop.stats.processed, 1);
  assert.deepEqual(throwing.paused, ["pause", "resume", "pause", "resume"]);
});

test("processor: a record that does not decode at once is routed as before, through a promise", {
  timeout: 60_000,
}, async () => {
  const { loop, pauses } = readyParts({ handler: () => {} });
  const skipped = processMessage(loop, {
    message: message("not json"),
    isRetry: false,
    pauses,
    trace: noTrace,
  });
  assert.ok(skipped instanceof Promise);
  assert.equal(await skipped, true, "undecodable without a dead letter topic: logged and skipped");
  assert.equal(loop.stats.failed, 1);
  assert.equal(loop.stats.processed, 0);
});
