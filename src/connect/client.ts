/**
 * HTTP client for Kafka Connect's REST API.
 *
 * @module
 */
import { ConnectError } from "../errors.ts";
import {
  type ConnectClientOptions,
  resolveConnectOptions,
  type ResolvedConnectOptions,
} from "./client_options.ts";
import { secretValues } from "./secrets.ts";
import type {
  ConnectorPlugin,
  ConnectorStatus,
  ConnectorValidation,
  FieldErrors,
} from "./types.ts";

// 409 is Connect's "rebalance in progress" answer: the same request succeeds moments later.
const retriedStatuses = new Set([409, 502, 503, 504]);
// While its group rebalances, a worker may answer 500 "... because a rebalance is expected".
const rebalanceAnswer = /rebalance is expected|rebalance in progress/i;

interface RawValidation {
  error_count: number;
  configs: { value?: { name: string; errors?: string[] } | null }[];
}

/**
 * A Kafka Connect REST client: a base URL with a path, basic auth, a timeout
 * per attempt, retries with exponential backoff on 502/503/504, on a worker
 * rebalance (409, or a 500 saying a rebalance is expected) and on network
 * errors, and a name prefix applied to every connector name. Every failure
 * is a {@link ConnectError}; secrets of the configs it sends never appear in
 * its messages.
 *
 * @example
 * ```ts
 * import { ConnectClient } from "@flowodm/flowodm";
 * const client = new ConnectClient({ url: "http://localhost:8083", namePrefix: "staging-" });
 * console.log(await client.connectors());
 * const status = await client.status("customers-cdc"); // GET /connectors/staging-customers-cdc/status
 * console.log(status.connector.state, status.tasks.map((t) => t.state));
 * ```
 */
export class ConnectClient {
  readonly #options: ResolvedConnectOptions;
  readonly #headers: Record<string, string>;

  /** Creates a client from options over `KAFKA_CONNECT_URL` and friends; no request is made. */
  constructor(options: ConnectClientOptions = {}) {
    this.#options = resolveConnectOptions(options);
    this.#headers = {
      "Content-Type": "application/json",
      Accept: "application/json",
      ...this.#options.headers,
    };
    if (this.#options.basicAuth) {
      this.#headers.Authorization = `Basic ${btoa(this.#options.basicAuth)}`;
    }
  }

  /** The base URL, without credentials. */
  get url(): string {
    return this.#options.url;
  }

  /** The prefix put before every connector name. */
  get namePrefix(): string {
    return this.#options.namePrefix;
  }

  /** The name a connector has in Connect: the prefix, then its name. */
  fullName(name: string): string {
    return `${this.#options.namePrefix}${name}`;
  }

  async #request<T>(
    method: string,
    path: string,
    options: { body?: unknown; connector?: string; secrets?: readonly string[] } = {},
  ): Promise<{ status: number; body: T }> {
    const url = `${this.#options.url}${path}`;
    const mask = (text: string) =>
      (options.secrets ?? []).reduce((safe, secret) => safe.replaceAll(secret, "***"), text);
    for (let attempt = 0;; attempt++) {
      let response: Response;
      try {
        response = await this.#options.fetch(url, {
          method,
          headers: this.#headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.#options.timeoutMs),
        });
      } catch (cause) {
        if (attempt < this.#options.retries) {
          await this.#backoff(attempt);
          continue;
        }
        throw new ConnectError(
          `Kafka Connect at ${this.#options.url} did not answer ${method} ${path} ` +
            `after ${attempt + 1} attempts: ${mask((cause as Error).message)}`,
          { connector: options.connector, cause },
        );
      }
      const text = await response.text();
      if (response.ok) {
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
      }
      const transient = retriedStatuses.has(response.status) ||
        (response.status === 500 && rebalanceAnswer.test(text));
      if (transient && attempt < this.#options.retries) {
        await this.#backoff(attempt);
        continue;
      }
      let detail: { error_code?: number; message?: string } = {};
      try {
        detail = JSON.parse(text);
      } catch { /* not JSON: the status alone */ }
      throw new ConnectError(
        `Kafka Connect ${method} ${path} failed with HTTP ${response.status}: ${
          mask(detail.message ?? (text.slice(0, 300) || response.statusText))
        }`,
        { status: response.status, errorCode: detail.error_code, connector: options.connector },
      );
    }
  }

  #backoff(attempt: number): Promise<void> {
    const ms = Math.min(this.#options.retryDelayMs * 2 ** attempt, 30_000);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** The worker's version and Kafka cluster id (`GET /`). */
  async info(): Promise<{ version: string; commit: string; kafka_cluster_id: string }> {
    return (await this.#request<{ version: string; commit: string; kafka_cluster_id: string }>(
      "GET",
      "/",
    )).body;
  }

  /** Names of the connectors Connect runs (all of them, prefixed or not). */
  async connectors(): Promise<string[]> {
    return (await this.#request<string[]>("GET", "/connectors")).body;
  }

  /** Installed connector plugins. */
  async plugins(): Promise<ConnectorPlugin[]> {
    return (await this.#request<ConnectorPlugin[]>("GET", "/connector-plugins")).body;
  }

  /** A connector's current config, or undefined when Connect has no such connector. */
  async config(name: string): Promise<Record<string, string> | undefined> {
    const full = this.fullName(name);
    try {
      return (await this.#request<Record<string, string>>(
        "GET",
        `/connectors/${enc(full)}/config`,
        { connector: full },
      )).body;
    } catch (error) {
      if (error instanceof ConnectError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Creates or updates a connector (`PUT /connectors/{name}/config`); true when it was created. */
  async putConfig(name: string, config: Readonly<Record<string, string>>): Promise<boolean> {
    const full = this.fullName(name);
    const { status } = await this.#request("PUT", `/connectors/${enc(full)}/config`, {
      body: { ...config, name: full },
      connector: full,
      secrets: secretValues(config),
    });
    return status === 201;
  }

  /** Deletes a connector; false when there was none. */
  async delete(name: string): Promise<boolean> {
    const full = this.fullName(name);
    try {
      await this.#request("DELETE", `/connectors/${enc(full)}`, { connector: full });
      return true;
    } catch (error) {
      if (error instanceof ConnectError && error.status === 404) return false;
      throw error;
    }
  }

  /** The connector's and its tasks' states; undefined when Connect has no such connector. */
  async status(name: string): Promise<ConnectorStatus | undefined> {
    const full = this.fullName(name);
    try {
      return (await this.#request<ConnectorStatus>("GET", `/connectors/${enc(full)}/status`, {
        connector: full,
      })).body;
    } catch (error) {
      if (error instanceof ConnectError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Restarts a connector and, by default, its failed tasks. */
  async restart(name: string, options: { includeTasks?: boolean; onlyFailed?: boolean } = {}) {
    const full = this.fullName(name);
    const query = `includeTasks=${options.includeTasks ?? true}&onlyFailed=${
      options.onlyFailed ?? true
    }`;
    await this.#request("POST", `/connectors/${enc(full)}/restart?${query}`, { connector: full });
  }

  /** Validates a config against its connector class; only fields with errors are returned. */
  async validate(
    config: Readonly<Record<string, string>>,
    name?: string,
  ): Promise<ConnectorValidation> {
    const connectorClass = config["connector.class"];
    const full = this.fullName(name ?? config.name ?? "validation");
    const { body } = await this.#request<RawValidation>(
      "PUT",
      `/connector-plugins/${enc(connectorClass)}/config/validate`,
      { body: { ...config, name: full }, connector: full, secrets: secretValues(config) },
    );
    // Some plugins declare definitions without a value entry: nothing to report for those.
    const fields: FieldErrors[] = body.configs
      .flatMap((c) =>
        c.value?.errors?.length ? [{ name: c.value.name, errors: c.value.errors }] : []
      );
    return { connectorClass, errorCount: body.error_count, fields };
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}
