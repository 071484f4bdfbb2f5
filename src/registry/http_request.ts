/**
 * One request to a Schema Registry's REST API: a time limit per attempt,
 * retries with backoff on network errors, cut-off answers, 5xx and 429, and
 * every failure as a typed error (a {@link RegistryError} with the HTTP status
 * and Confluent error code, or a ConfigError when the runtime denies network
 * access).
 */
import { countRegistryRequest } from "../telemetry/metrics.ts";
import { ConfigError, RegistryError } from "../errors.ts";
import { fetchFailureText, isPermissionDenial } from "./fetch_failure.ts";

/** Where and how requests go. */
export interface RegistryHttp {
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly fetch: typeof fetch;
}

/** Sends one request (retried as above) and resolves its JSON answer. */
export async function registryRequest<T>(
  http: RegistryHttp,
  method: string,
  path: string,
  body?: unknown,
  subject?: string,
): Promise<T> {
  const url = `${http.url}${path}`;
  for (let attempt = 0;; attempt++) {
    let response: Response;
    try {
      response = await http.fetch(url, {
        method,
        headers: http.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(http.timeoutMs),
      });
    } catch (cause) {
      countRegistryRequest(method, "error");
      if (isPermissionDenial(cause)) throw networkDenied(http.url, cause as Error);
      if (attempt < http.retries) {
        await backoff(attempt);
        continue;
      }
      throw new RegistryError(
        `Schema Registry at ${http.url} did not answer ${method} ${path}: ${
          fetchFailureText(cause)
        }`,
        { subject, cause },
      );
    }
    countRegistryRequest(method, response.status);
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      // The answer was cut off (the timeout fired or the connection dropped mid-body).
      if (attempt < http.retries) {
        await backoff(attempt);
        continue;
      }
      throw new RegistryError(
        `Schema Registry at ${http.url} did not finish answering ${method} ${path}: ${
          (cause as Error).message
        }`,
        { subject, cause },
      );
    }
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
    const error = answerError(http.url, method, path, response, text, subject);
    if (!error.transient || response.status === 404 || attempt >= http.retries) throw error;
    await backoff(attempt);
  }
}

function networkDenied(url: string, cause: Error): ConfigError {
  return new ConfigError(
    `the runtime denied network access to the Schema Registry at ${url}: ${cause.message}${
      /--allow-net/.test(cause.message) ? "" : " (with Deno: --allow-net, or -A)"
    }`,
    { cause },
  );
}

/** The error of a refusing answer, with Confluent's error code when it gave one. */
function answerError(
  url: string,
  method: string,
  path: string,
  response: Response,
  text: string,
  subject: string | undefined,
): RegistryError {
  let detail: { error_code?: number; message?: string } = {};
  try {
    detail = JSON.parse(text);
  } catch { /* not JSON: keep the status alone */ }
  return new RegistryError(
    `Schema Registry ${method} ${path} failed with HTTP ${response.status}${
      detail.error_code ? ` (error ${detail.error_code})` : ""
    }: ${detail.message ?? (text.slice(0, 200) || response.statusText)}${
      response.status === 404 && !(detail.error_code && detail.error_code >= 40400)
        ? ` (no Confluent error code: is ${url} the registry's API? Apicurio's is at /apis/ccompat/v7)`
        : ""
    }`,
    { status: response.status, errorCode: detail.error_code, subject },
  );
}

/** A rejection handler that reads a 404 answer as `value` (nothing there). */
export function notFoundAs<T>(value: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof RegistryError && error.status === 404) return value;
    throw error;
  };
}

/** A subject as a URL path segment. */
export function enc(subject: string): string {
  return encodeURIComponent(subject);
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
