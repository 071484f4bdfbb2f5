/**
 * One message through `processMessage`, without a consumer: what finishes a
 * message (handled, skipped without a dead letter topic), what leaves it
 * unfinished (a registry that fails stops the loop; a stop during backoff).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistryError } from "../../src/errors.ts";
import { processMessage } from "../../src/loop/message_processor.ts";
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
