/**
 * Fail fast, name the culprit: a client that never reached any broker, or a
 * topic that does not exist, is an error within seconds that says which
 * address or topic and what to check, never a silent wait. (A client that
 * was connected and loses its brokers waits the outage out; that is a
 * restart, not a mistake.)
 *
 * @module
 */
import { TransportError } from "../errors.ts";
import type { TransportAdmin } from "./types.ts";

/** How long a client that never reached a broker waits before failing, by default. */
export const defaultConnectTimeoutMs = 15_000;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The error of a client that reached no broker at `bootstrapServers` within `timeoutMs`. */
export function unreachableError(
  bootstrapServers: string,
  timeoutMs: number,
  detail?: string,
  cause?: unknown,
): TransportError {
  return new TransportError(
    `no Kafka broker answered at ${bootstrapServers} within ${seconds(timeoutMs)}` +
      (detail ? ` (${detail})` : "") +
      `: check that a broker runs there, that the host and port are right ` +
      `(bootstrapServers / KAFKA_BOOTSTRAP_SERVERS), and that security.protocol, SASL and TLS ` +
      `settings match the broker's listener`,
    { code: -187, codeName: "_ALL_BROKERS_DOWN", retriable: true, cause },
  );
}

/** The error of consuming a topic that does not exist. */
export function missingTopicError(topic: string, waitedMs: number): TransportError {
  return new TransportError(
    `topic "${topic}" does not exist (waited ${seconds(waitedMs)} for it): create it first, ` +
      `e.g. with Model.ensureTopic() or admin.ensureTopic(), or pass { waitForTopic: true } ` +
      `to wait until it is created`,
    { code: 3, codeName: "UNKNOWN_TOPIC_OR_PART", retriable: false },
  );
}

/** How {@link awaitTopics} waits. */
export interface AwaitTopicsOptions {
  /** How long to wait for a missing topic before failing (default 15 s). */
  readonly timeoutMs?: number;
  /** Wait for missing topics without a limit, logging once that it waits. */
  readonly wait?: boolean;
  /** Told once, when waiting for a missing topic starts. */
  readonly onWait?: (topics: readonly string[]) => void;
  /** Ends the wait early (e.g. a loop's stop()). */
  readonly signal?: AbortSignal;
}

const recheckMs = 500;

/**
 * Resolves once every topic exists; rejects with {@link missingTopicError}
 * for the first still missing after the timeout (unless `wait`), or with the
 * admin's own error (e.g. no broker reachable).
 */
export async function awaitTopics(
  admin: TransportAdmin,
  topics: readonly string[],
  options: AwaitTopicsOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? defaultConnectTimeoutMs;
  const started = Date.now();
  let told = false;
  for (;;) {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length === 0 || options.signal?.aborted) return;
    if (!options.wait && Date.now() - started >= timeoutMs) {
      throw missingTopicError(missing[0], Date.now() - started);
    }
    if (options.wait && !told) {
      told = true;
      options.onWait?.(missing);
    }
    await new Promise((resolve) => setTimeout(resolve, recheckMs));
  }
}
