/**
 * How a {@link ConnectClient} finds Kafka Connect: options, else
 * `KAFKA_CONNECT_URL` and friends.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { processVariable } from "../config/process_env.ts";

/** Options of `ConnectClient`; each wins over its environment variable. */
export interface ConnectClientOptions {
  /** `KAFKA_CONNECT_URL`: the REST API's base URL, path included (`https://host/connect`). */
  readonly url?: string;
  /** `KAFKA_CONNECT_BASIC_AUTH_USER_INFO`, `user:password`. Never logged. */
  readonly basicAuth?: string;
  /** `KAFKA_CONNECT_TIMEOUT_MS`: time limit of one HTTP attempt; default 30 000. */
  readonly timeoutMs?: number;
  /** `KAFKA_CONNECT_RETRIES`: attempts after a 502/503/504, a rebalance (409) or a network error; default 5. */
  readonly retries?: number;
  /** `KAFKA_CONNECT_RETRY_DELAY_MS`: first backoff delay, doubled each attempt; default 500. */
  readonly retryDelayMs?: number;
  /** `KAFKA_CONNECT_NAME_PREFIX`: prepended to every connector name (e.g. per environment). */
  readonly namePrefix?: string;
  /** Extra headers for every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A `fetch` to use instead of the global one (custom TLS, proxies). */
  readonly fetch?: typeof fetch;
}

/** Options after the environment filled the gaps. */
export interface ResolvedConnectOptions {
  readonly url: string;
  readonly basicAuth?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly namePrefix: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: typeof fetch;
}

function numberOf(name: string, given: number | undefined): number | undefined {
  if (given !== undefined) return given;
  const raw = processVariable(name);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${name}=${raw} is not a non-negative number`);
  }
  return value;
}

/** Resolves options over the environment; credentials in the URL move to basic auth. */
export function resolveConnectOptions(options: ConnectClientOptions = {}): ResolvedConnectOptions {
  const given = options.url ?? processVariable("KAFKA_CONNECT_URL");
  if (!given) {
    throw new ConfigError(
      "no Kafka Connect URL: set KAFKA_CONNECT_URL (e.g. http://localhost:8083), or pass `url` to ConnectClient (`--connect-url` to flowodm connect)",
    );
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ConfigError(
      "the Kafka Connect URL is not a valid URL: give one like http://localhost:8083",
    );
  }
  let basicAuth = options.basicAuth ?? processVariable("KAFKA_CONNECT_BASIC_AUTH_USER_INFO");
  if (url.username || url.password) {
    basicAuth ??= `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    url.username = "";
    url.password = "";
  }
  return {
    url: url.href.replace(/\/+$/, ""),
    basicAuth,
    timeoutMs: numberOf("KAFKA_CONNECT_TIMEOUT_MS", options.timeoutMs) ?? 30_000,
    retries: numberOf("KAFKA_CONNECT_RETRIES", options.retries) ?? 5,
    retryDelayMs: numberOf("KAFKA_CONNECT_RETRY_DELAY_MS", options.retryDelayMs) ?? 500,
    namePrefix: options.namePrefix ?? processVariable("KAFKA_CONNECT_NAME_PREFIX") ?? "",
    headers: options.headers ?? {},
    fetch: options.fetch ?? fetch,
  };
}
