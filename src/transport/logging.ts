/**
 * Where librdkafka's log lines and the library's own events go: a
 * {@link Logger} given to `connect({ logger })`, else one line per event at
 * warn and above on the console. librdkafka repeats a failing connection's
 * line on every retry; {@link ClientLog} passes it on once per change of
 * state instead.
 *
 * @module
 */

/** Structured context of a log event; never holds secrets. */
export type LogFields = Record<string, unknown>;

/**
 * Receives log events. librdkafka's lines arrive with `fields.source`
 * `"librdkafka"`, `fields.facility` (e.g. `FAIL`, `ERROR`), `fields.level`
 * (syslog 0-7) and `fields.client` (the librdkafka client name).
 *
 * @example
 * ```ts
 * import { connect, type Logger } from "@flowodm/flowodm";
 * const logger: Logger = {
 *   info: () => {},
 *   warn: (message, fields) => console.warn(message, fields),
 *   error: (message, fields) => console.error(message, fields),
 * };
 * connect({ bootstrapServers: "localhost:9092", logger });
 * ```
 */
export interface Logger {
  /** Detail for debugging: librdkafka's debug lines. */
  debug?(message: string, fields?: LogFields): void;
  /** Progress worth knowing: start, stop, rebalances. */
  info(message: string, fields?: LogFields): void;
  /** A failure that was handled or may pass: a retry, a broker that went down. */
  warn(message: string, fields?: LogFields): void;
  /** A failure that needs attention. */
  error(message: string, fields?: LogFields): void;
}

function line(message: string, fields?: LogFields): string {
  if (!fields) return `[flowodm] ${message}`;
  const context = Object.entries(fields)
    .filter(([name, value]) => value !== undefined && name !== "source")
    .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return context ? `[flowodm] ${message} (${context})` : `[flowodm] ${message}`;
}

/**
 * The default logger: one line per event at warn and above, nothing below.
 *
 * @example
 * ```ts
 * import { defaultLogger } from "@flowodm/flowodm";
 * defaultLogger.warn("broker down", { client: "flowodm#producer-1" }); // one line on stderr
 * ```
 */
export const defaultLogger: Logger = {
  info: () => {},
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
};

/** Which Logger method a syslog level (librdkafka's 0-7) maps to. */
export function levelOf(syslog: number): "error" | "warn" | "info" | "debug" {
  return syslog <= 3 ? "error" : syslog === 4 ? "warn" : syslog <= 6 ? "info" : "debug";
}

/** The state a line describes: its text without counts, timings and numbers. */
function stateOf(message: string): string {
  return message.replace(/\(.*\)/g, "").replace(/\d+/g, "#").trim();
}

/**
 * One client's log: passes librdkafka's lines and client errors to the
 * logger, each only when it differs from the last one of its facility, so a
 * broker that stays down is one line; after the client worked again
 * ({@link ClientLog.recovered}) the next fall is a new one.
 */
export class ClientLog {
  readonly #logger: Logger;
  readonly #client: string;
  readonly #last = new Map<string, string>();

  constructor(logger: Logger | undefined, client: string) {
    this.#logger = logger ?? defaultLogger;
    this.#client = client;
  }

  /** A librdkafka log line. */
  librdkafka(syslog: number, facility: string, message: string): void {
    const state = stateOf(message);
    if (this.#last.get(facility) === state) return;
    this.#last.set(facility, state);
    const level = levelOf(syslog);
    const fields = { source: "librdkafka", client: this.#client, facility, level: syslog };
    if (level === "debug") this.#logger.debug?.(message, fields);
    else this.#logger[level](message, fields);
  }

  /** The client works again (a delivery or a fetch succeeded): the next failure is news. */
  recovered(): void {
    if (this.#last.size > 0) this.#last.clear();
  }

  /** A client-level error (a broker down, a failed connection): once per change of state. */
  clientError(message: string, codeName: string | undefined, fatal: boolean): void {
    const facility = `error:${codeName ?? ""}`;
    const state = stateOf(message);
    if (!fatal && this.#last.get(facility) === state) return;
    this.#last.set(facility, state);
    this.#logger[fatal ? "error" : "warn"](message, {
      source: "librdkafka",
      client: this.#client,
      code: codeName,
      fatal: fatal || undefined,
    });
  }

  /** A line from the library itself. */
  flowodm(level: "info" | "warn" | "error", message: string, fields?: LogFields): void {
    this.#logger[level](message, { source: "flowodm", client: this.#client, ...fields });
  }
}
