/**
 * One message through a loop: decode (waiting out a registry that does not
 * answer), the handler with blocking retries, then a retry topic or the dead
 * letter topic when it failed for good.
 *
 * @module
 */
import { DeserializationError, RegistryError } from "../errors.ts";
import { type DecodedMessage, decodeMessage, decodeMessageNow } from "../model/consumed_message.ts";
import { registryDidNotAnswer, type RegistryOutage } from "../registry/outage.ts";
import { suppressedBy } from "../suppress/scope.ts";
import type { MessageTrace } from "../telemetry/tracing.ts";
import type { IncomingMessage } from "../transport/types.ts";
import { retryDelay } from "./backoff.ts";
import type { FailureRoutes } from "./failure_routing.ts";
import { FailureHeader, failureHeaders, headerText, type Origin, originOf } from "./headers.ts";
import type { LoopHealth } from "./health.ts";
import type { Latch } from "./latch.ts";
import type { LoopLogger } from "./logger.ts";
import type { ConsumerLoopOptions } from "./options.ts";
import { HandlerContext } from "./handler_context.ts";
import { ownedMessage } from "../transport/common/owned_message.ts";
import type { PauseCounts } from "./pauses.ts";
import type { LoopStats } from "./stats.ts";

/** What processing a message shares with its loop. */
export interface LoopParts<T, K> {
  readonly options: ConsumerLoopOptions<T, K>;
  readonly routes: FailureRoutes;
  readonly stats: LoopStats;
  readonly health: LoopHealth;
  readonly outage: RegistryOutage;
  /** On when the loop stops: waits end, the message stays unfinished. */
  readonly stopping: Latch;
  /** On when shutdown outlasts `shutdownTimeoutMs`: handlers' signals abort. */
  readonly aborting: Latch;
  readonly log: LoopLogger;
  readonly maxPollIntervalMs: number;
  /** Stops the loop for a registry fault it may not wait out. */
  fatal(error: unknown): void;
}

/** A message, where it was read, and its trace. */
export interface Delivery {
  readonly message: IncomingMessage;
  /** Read from a retry topic. */
  readonly isRetry: boolean;
  /** Pauses of the consumer that read it. */
  readonly pauses: PauseCounts;
  readonly trace: MessageTrace;
}

/** The coordinates of a message, for log lines. */
export function where(message: IncomingMessage) {
  return { topic: message.topic, partition: message.partition, offset: message.offset };
}

/**
 * Handles one message; true when it is finished (its offset may be committed).
 * A first delivery that decodes at once and whose handler returns without a
 * promise is handled without one: per message, the promises of an all-async
 * path were a fifth of a Deno loop's rate.
 */
export function processMessage<T, K>(
  loop: LoopParts<T, K>,
  delivery: Delivery,
): boolean | Promise<boolean> {
  if (!delivery.isRetry) {
    let decoded: DecodedMessage<T, K> | undefined;
    try {
      decoded = decodeMessageNow(loop.options.model, delivery.message);
    } catch {
      decoded = undefined; // the full path decodes it again and routes the failure
    }
    if (decoded && !decoded.tombstone) return handle(loop, delivery, decoded, 1);
  }
  return processFully(loop, delivery);
}

/** {@link processMessage} for every case: retries, registry waits, tombstones, undecodable records. */
async function processFully<T, K>(
  loop: LoopParts<T, K>,
  delivery: Delivery,
): Promise<boolean> {
  const { message, isRetry, pauses } = delivery;
  const previous = Number(headerText(message.headers, FailureHeader.attempt) ?? 0);
  const firstAttempt = isRetry ? previous + 1 : 1;
  if (isRetry) {
    const due = Number(headerText(message.headers, FailureHeader.retryDue) ?? 0);
    if (due > Date.now()) {
      pauses.pause(message);
      const waited = await loop.stopping.sleep(due - Date.now());
      pauses.resume(message);
      if (!waited) return false;
    }
  }
  let decoded: DecodedMessage<T, K> | undefined;
  try {
    // Most records decode without a wait: no promise for them.
    decoded = decodeMessageNow(loop.options.model, message) ?? await decode(loop, delivery);
    if (!decoded) return false; // stopped while waiting: the offset stays uncommitted
    if (decoded.tombstone && !loop.options.onTombstone) {
      throw new DeserializationError(
        "the message has no value (a tombstone) and the loop has no onTombstone",
        where(message),
      );
    }
  } catch (error) {
    if (error instanceof RegistryError || registryDidNotAnswer(error)) {
      // Not the message's fault (an outage past maxRegistryWaitMs, or e.g. HTTP 401):
      // stop without committing it or anything after it.
      loop.log.error("the Schema Registry fails; stopping the loop", {
        ...where(message),
        error: String(error),
      });
      loop.fatal(error);
      return false;
    }
    loop.stats.failed++;
    delivery.trace.failed(error);
    loop.log.error("undecodable message", { ...where(message), error: String(error) });
    await loop.options.onError?.(error, ownedMessage(message), undefined);
    return await deadLetter(loop, delivery, originOf(message), firstAttempt, error);
  }
  return await handle(loop, delivery, decoded, firstAttempt);
}

/** The consumed message, or undefined when the loop stopped while the registry did not answer. */
async function decode<T, K>(
  loop: LoopParts<T, K>,
  { message, pauses }: Delivery,
): Promise<DecodedMessage<T, K> | undefined> {
  const attempt = () => decodeMessage(loop.options.model, message);
  let decoded: DecodedMessage<T, K> | undefined;
  try {
    decoded = await attempt();
  } catch (error) {
    if (!registryDidNotAnswer(error)) throw error;
    decoded = await waitForRegistry(loop, { message, pauses }, attempt, error);
  }
  return decoded;
}

/**
 * A registry that does not answer is waited out with this partition paused:
 * the message may be fine, so it is never dead-lettered for that.
 */
async function waitForRegistry<T, K>(
  loop: LoopParts<T, K>,
  { message, pauses }: Pick<Delivery, "message" | "pauses">,
  attempt: () => Promise<DecodedMessage<T, K>>,
  error: unknown,
): Promise<DecodedMessage<T, K> | undefined> {
  const { signal, release } = loop.stopping.signal();
  try {
    const decoded = await loop.outage.waitOut(attempt, error, {
      signal,
      maxWaitMs: loop.options.maxRegistryWaitMs,
      onWait: () => {
        pauses.pause(message);
        loop.stats.waitingForRegistry++;
      },
      onDone: () => {
        pauses.resume(message);
        loop.stats.waitingForRegistry--;
      },
    });
    return decoded?.value;
  } finally {
    release();
  }
}

/**
 * The handler (or onTombstone) with blocking retries, then a retry topic or
 * the dead letter one; without a promise when the first attempt returns none.
 */
function handle<T, K>(
  loop: LoopParts<T, K>,
  delivery: Delivery,
  decoded: DecodedMessage<T, K>,
  firstAttempt: number,
): boolean | Promise<boolean> {
  let outcome: void | Promise<void>;
  try {
    outcome = run(loop, delivery, decoded, firstAttempt);
  } catch (error) {
    return afterFailure(loop, delivery, decoded, firstAttempt, error);
  }
  if (!isPromiseLike(outcome)) return handled(loop, delivery);
  return outcome.then(
    () => handled(loop, delivery),
    (error) => afterFailure(loop, delivery, decoded, firstAttempt, error),
  );
}

function handled<T, K>(loop: LoopParts<T, K>, delivery: Delivery): true {
  loop.stats.processed++;
  delivery.trace.handled();
  return true;
}

/** What follows a failed attempt: blocking retries, then a retry topic or the dead letter one. */
async function afterFailure<T, K>(
  loop: LoopParts<T, K>,
  delivery: Delivery,
  decoded: DecodedMessage<T, K>,
  firstAttempt: number,
  firstError: unknown,
): Promise<boolean> {
  const { options, routes, stats } = loop;
  const { message, trace, pauses } = delivery;
  const blockingRetries = routes.retryTopics.length > 0 ? 0 : (options.maxRetries ?? 3);
  let lastError = firstError;
  let attempt = firstAttempt;
  for (let retry = 0;; retry++) {
    attempt = firstAttempt + retry;
    if (retry > 0) {
      try {
        await run(loop, delivery, decoded, attempt);
        return handled(loop, delivery);
      } catch (error) {
        lastError = error;
      }
    }
    stats.failed++;
    trace.failed(lastError);
    loop.log.warn("handler failed", { ...where(message), attempt, error: String(lastError) });
    const retryable = options.retryOn?.(lastError) ?? true;
    if (!retryable || retry >= blockingRetries) break;
    // Stopping between blocking retries: leave the offset uncommitted so it is delivered again.
    if (loop.stopping.on) return false;
    stats.retried++;
    trace.event("retry", { "flowodm.attempt": attempt + 1 });
    pauses.pause(message);
    const delay = retryDelay(
      retry + 1,
      options.retryDelayMs ?? 1_000,
      options.backoff ?? "exponential",
      options.maxRetryDelayMs ?? 60_000,
    );
    const waited = await loop.stopping.sleep(delay);
    pauses.resume(message);
    if (!waited) return false;
  }
  await options.onError?.(
    lastError,
    ownedMessage(message),
    decoded.tombstone ? undefined : decoded.value,
  );
  const origin = originOf(message);
  const retryable = options.retryOn?.(lastError) ?? true;
  const next = retryable ? routes.retryTopic(attempt) : undefined;
  if (!next) return await deadLetter(loop, delivery, origin, attempt, lastError);
  const headers = trace.inject(failureHeaders(message.headers, {
    origin,
    attempt,
    error: lastError,
    dueMs: Date.now() + next.delayMs,
  }));
  const sent = await routes.forward(message, next.topic, headers, loop.stopping, loop.log);
  if (sent) {
    stats.retried++;
    trace.event("retry_topic", { "messaging.destination.name": next.topic });
  }
  return sent;
}

/**
 * One handler call, watched by the health probe, producers suppressed as
 * configured; a promise only when the handler (or tracing) returns one.
 */
function run<T, K>(
  loop: LoopParts<T, K>,
  { message, trace }: Delivery,
  decoded: DecodedMessage<T, K>,
  attempt: number,
): void | Promise<void> {
  const context = new HandlerContext(decoded, attempt, loop.aborting.sharedSignal());
  const busy = loop.health.handlerStarted(message, loop.maxPollIntervalMs);
  let outcome: void | Promise<void>;
  try {
    outcome = trace.run(() =>
      suppressedBy(loop.options.suppressProducers, () => call(loop, context))
    );
  } catch (error) {
    loop.health.handlerEnded(busy);
    throw error;
  }
  if (!isPromiseLike(outcome)) {
    loop.health.handlerEnded(busy);
    return;
  }
  return Promise.resolve(outcome).finally(() => loop.health.handlerEnded(busy));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

function call<T, K>(loop: LoopParts<T, K>, context: HandlerContext<T, K>): Promise<void> | void {
  const message = context.asContext();
  return message.tombstone
    ? loop.options.onTombstone!(message)
    : loop.options.handler(message.value, message);
}

/** Sends a message that failed for good to the dead letter topic; skips it (logged) without one. */
async function deadLetter<T, K>(
  loop: LoopParts<T, K>,
  { message, trace }: Delivery,
  origin: Origin,
  attempt: number,
  error: unknown,
): Promise<boolean> {
  const topic = loop.routes.deadLetterTopic;
  if (!topic) {
    trace.end({ error });
    loop.log.error("message failed and no dead letter topic is configured; skipping it", {
      ...where(message),
      error: String(error),
    });
    return true;
  }
  const headers = trace.inject(failureHeaders(message.headers, { origin, attempt, error }));
  const sent = await loop.routes.forward(message, topic, headers, loop.stopping, loop.log);
  if (sent) {
    loop.stats.deadLettered++;
    trace.deadLettered(topic, error);
    loop.log.warn("dead-lettered", { ...where(message), deadLetterTopic: topic });
    await loop.options.onDeadLetter?.(ownedMessage(message), error);
  }
  return sent;
}
