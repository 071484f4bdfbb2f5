/**
 * Waiting out a Schema Registry that does not answer. A decode that failed
 * because the registry was unreachable, timed out, or answered 5xx or 429
 * says nothing about the message: consumers retry it with capped backoff
 * until the registry answers, and never dead-letter it.
 *
 * @module
 */
import { DeserializationError, RegistryError } from "../errors.ts";

/** Where an outage is reported: once when it starts, once when it ends. */
export interface OutageLogger {
  /** The outage ended. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** The outage started. */
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** How one message waits. */
export interface OutageWaitOptions {
  /** Aborting it ends the wait: `retry` resolves undefined and the message stays unfinished. */
  readonly signal?: AbortSignal;
  /** Gives up after this long and throws the last error; default: wait for ever. */
  readonly maxWaitMs?: number;
  /** Runs when the message starts waiting, e.g. to pause its partition. */
  readonly onWait?: () => void;
  /** Runs when it stops waiting (answered, stopped or given up), e.g. to resume the partition. */
  readonly onDone?: () => void;
  /**
   * Spends a backoff delay instead of sleeping, e.g. polling a consumer whose
   * partitions are paused so that it stays in its group through a long outage.
   */
  readonly idle?: (ms: number) => Promise<void>;
}

/** True when `error` is a registry that did not answer: worth waiting for, never poison. */
export function registryDidNotAnswer(error: unknown): boolean {
  return (error instanceof RegistryError || error instanceof DeserializationError) &&
    error.transient;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 10_000;

/**
 * The registry outage seen by one consumer: how many messages wait, and one
 * log line when it starts and one when it ends, however many messages wait.
 */
export class RegistryOutage {
  readonly #log: OutageLogger;
  readonly #fields: Record<string, unknown>;
  #waiting = 0;
  #since: number | undefined;

  /** `fields` go into both log lines (e.g. the topic and group). */
  constructor(log: OutageLogger, fields: Record<string, unknown> = {}) {
    this.#log = log;
    this.#fields = fields;
  }

  /** Messages waiting for the registry now. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Runs `attempt` until it succeeds or fails for another reason than the
   * registry not answering (that error is thrown). Resolves undefined when
   * `signal` aborted first; throws the registry's error after `maxWaitMs`.
   */
  async retry<T>(
    attempt: () => Promise<T>,
    options: OutageWaitOptions = {},
  ): Promise<{ value: T } | undefined> {
    try {
      return { value: await attempt() };
    } catch (error) {
      if (!registryDidNotAnswer(error)) throw error;
      return await this.waitOut(attempt, error, options);
    }
  }

  /**
   * {@link retry} after its first attempt failed with `first`, a registry
   * that did not answer: for callers that make the first attempt themselves
   * and build the wait's options only when there is a wait.
   */
  async waitOut<T>(
    attempt: () => Promise<T>,
    first: unknown,
    options: OutageWaitOptions,
  ): Promise<{ value: T } | undefined> {
    const started = Date.now();
    const maxWaitMs = options.maxWaitMs ?? Infinity;
    if (this.#since === undefined) {
      this.#since = started;
      this.#log.warn(
        "Schema Registry did not answer; waiting for it (no message is dead-lettered)",
        {
          ...this.#fields,
          error: String(first),
        },
      );
    }
    this.#waiting++;
    options.onWait?.();
    let answered = false;
    try {
      let error = first;
      for (let retry = 0;; retry++) {
        const left = started + maxWaitMs - Date.now();
        if (left <= 0) throw error;
        const delay = Math.min(FIRST_DELAY_MS * 2 ** Math.min(retry, 10), MAX_DELAY_MS, left);
        if (options.idle) await options.idle(delay);
        else if (!await sleep(delay, options.signal)) return undefined;
        if (options.signal?.aborted) return undefined;
        try {
          const value = await attempt();
          answered = true;
          return { value };
        } catch (next) {
          if (!registryDidNotAnswer(next)) {
            answered = true; // the registry answered, with something that is not an outage
            throw next;
          }
          error = next;
        }
      }
    } finally {
      this.#waiting--;
      options.onDone?.();
      if (this.#waiting === 0 && this.#since !== undefined) {
        if (answered) {
          this.#log.info("Schema Registry answers again", {
            ...this.#fields,
            waitedMs: Date.now() - this.#since,
          });
        }
        this.#since = undefined;
      }
    }
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
