/**
 * HTTP client for Confluent's Schema Registry REST API (Confluent Platform,
 * Confluent Cloud, Karapace, Apicurio's ccompat API as the local stack runs it).
 *
 * @module
 */
import { otelApi } from "../telemetry/api.ts";
import { RegistryError } from "../errors.ts";
import { BoundedCache } from "./bounded_cache.ts";
import { enc, notFoundAs, type RegistryHttp, registryRequest } from "./http_request.ts";
import {
  type CompatibilityAnswer,
  compatibilityPath,
  compatibilityReasons,
} from "./compatibility_answer.ts";
import type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  RegistryMode,
  SchemaRegistry,
} from "./types.ts";

/** How to reach and authenticate to the registry. */
export interface SchemaRegistryClientOptions {
  /**
   * Base URL, e.g. `http://localhost:8081`, `https://psrc-xxx.confluent.cloud`
   * or, with a path, Apicurio's `http://localhost:8081/apis/ccompat/v7`.
   */
  readonly url: string;
  /** `user:password` (Confluent Cloud: API key and secret). Never logged. */
  readonly basicAuth?: string;
  /** A bearer token, sent as `Authorization: Bearer ...`. Never logged. */
  readonly bearerToken?: string;
  /** Extra headers for every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time limit of one HTTP attempt; default 10 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Attempts after a network error, a timeout, or a 5xx or 429 answer; default 3, with
   * exponential backoff. Each attempt has its own `timeoutMs`.
   */
  readonly retries?: number;
  /** Most ids and schemas kept in each cache; default 1000. */
  readonly cacheCapacity?: number;
  /**
   * How long a schema id the registry does not know is remembered as unknown,
   * so a stream of messages with a bad id costs one request, not one each;
   * default 10 000 ms (an id registered meanwhile is seen after that).
   */
  readonly unknownIdTtlMs?: number;
  /**
   * A `fetch` to use, e.g. one with a client certificate or custom CA for TLS
   * (Deno: `Deno.createHttpClient`; Node: an undici dispatcher).
   */
  readonly fetch?: typeof fetch;
}

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

/**
 * A Schema Registry client with bounded caches (ids and schemas never change
 * once registered), timeouts, and retries with backoff on network errors,
 * timeouts and 5xx or 429 answers. Every failure is a {@link RegistryError}
 * with the HTTP status and Confluent error code, and `transient` true when the
 * registry did not answer.
 *
 * @example
 * ```ts
 * import { SchemaRegistryClient } from "@flowodm/flowodm";
 * const registry = new SchemaRegistryClient({ url: "http://localhost:8081" });
 * const id = await registry.register("orders-value", JSON.stringify({
 *   type: "record", name: "Order", fields: [{ name: "id", type: "string" }],
 * }));
 * console.log(id, await registry.schemaById(id));
 * ```
 */
export class SchemaRegistryClient implements SchemaRegistry {
  readonly #http: RegistryHttp;
  readonly #schemas: BoundedCache<number, string>;
  readonly #ids: BoundedCache<string, number>;
  readonly #unknownIds = new BoundedCache<number, { error: RegistryError; until: number }>(256);
  readonly #unknownIdTtlMs: number;

  /** Creates a client; no request is made until the first call. */
  constructor(options: SchemaRegistryClientOptions) {
    const headers: Record<string, string> = {
      "Content-Type": CONTENT_TYPE,
      Accept: CONTENT_TYPE,
      ...options.headers,
    };
    if (options.basicAuth) headers.Authorization = `Basic ${btoa(options.basicAuth)}`;
    if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
    this.#http = {
      url: options.url.replace(/\/+$/, ""),
      headers,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      fetch: options.fetch ?? fetch,
    };
    this.#schemas = new BoundedCache(options.cacheCapacity ?? 1000);
    this.#ids = new BoundedCache(options.cacheCapacity ?? 1000);
    this.#unknownIdTtlMs = options.unknownIdTtlMs ?? 10_000;
    void otelApi(); // so that requests are counted from the first one when OpenTelemetry is there
  }

  /** The base URL, without credentials. */
  get url(): string {
    return this.#http.url;
  }

  #request<T>(method: string, path: string, body?: unknown, subject?: string): Promise<T> {
    return registryRequest<T>(this.#http, method, path, body, subject);
  }

  /** Registers the schema under the subject; a schema already there keeps its id. */
  async register(
    subject: string,
    schema: string,
    options: { normalize?: boolean } = {},
  ): Promise<number> {
    const key = `${subject}\u0000${schema}`;
    const cached = this.#ids.get(key);
    if (cached !== undefined) return cached;
    const query = options.normalize ? "?normalize=true" : "";
    const { id } = await this.#request<{ id: number }>(
      "POST",
      `/subjects/${enc(subject)}/versions${query}`,
      { schema },
      subject,
    );
    this.#ids.set(key, id);
    this.#schemas.set(id, schema);
    return id;
  }

  /** The subject's version holding this schema, or undefined. */
  lookup(subject: string, schema: string): Promise<RegisteredSchema | undefined> {
    return this.#request<RegisteredSchema>("POST", `/subjects/${enc(subject)}`, { schema }, subject)
      .catch(notFoundAs(undefined));
  }

  /** The schema text of a global id (cached: ids never change). */
  async schemaById(id: number): Promise<string> {
    const cached = this.#schemas.get(id);
    if (cached !== undefined) return cached;
    const unknown = this.#unknownIds.get(id);
    if (unknown && Date.now() < unknown.until) throw unknown.error;
    try {
      const { schema } = await this.#request<{ schema: string }>("GET", `/schemas/ids/${id}`);
      this.#schemas.set(id, schema);
      return schema;
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404 && !error.transient) {
        this.#unknownIds.set(id, { error, until: Date.now() + this.#unknownIdTtlMs });
      }
      throw error;
    }
  }

  /** A version of a subject, or its latest. */
  async version(subject: string, version: number | "latest"): Promise<RegisteredSchema> {
    const found = await this.#request<RegisteredSchema>(
      "GET",
      `/subjects/${enc(subject)}/versions/${version}`,
      undefined,
      subject,
    );
    this.#schemas.set(found.id, found.schema);
    return found;
  }

  /** Subject names (filtered here too: Apicurio ignores `subjectPrefix`). */
  async subjects(options: { prefix?: string; deleted?: boolean } = {}): Promise<string[]> {
    const query = new URLSearchParams();
    if (options.prefix) query.set("subjectPrefix", options.prefix);
    if (options.deleted) query.set("deleted", "true");
    const suffix = query.size ? `?${query}` : "";
    const names = await this.#request<string[]>("GET", `/subjects${suffix}`);
    const prefix = options.prefix;
    return prefix ? names.filter((name) => name.startsWith(prefix)) : names;
  }

  /** Version numbers of a subject. */
  versions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    const suffix = options.deleted ? "?deleted=true" : "";
    return this.#request("GET", `/subjects/${enc(subject)}/versions${suffix}`, undefined, subject);
  }

  /** Soft-deletes a subject, or removes it for good after a soft delete. */
  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    const suffix = options.permanent ? "?permanent=true" : "";
    return this.#request("DELETE", `/subjects/${enc(subject)}${suffix}`, undefined, subject);
  }

  /** Deletes one version (soft, or for good after a soft delete); resolves its number. */
  deleteSchemaVersion(
    subject: string,
    version: number | "latest",
    options: { permanent?: boolean } = {},
  ): Promise<number> {
    const suffix = options.permanent ? "?permanent=true" : "";
    return this.#request(
      "DELETE",
      `/subjects/${enc(subject)}/versions/${version}${suffix}`,
      undefined,
      subject,
    );
  }

  /** The mode of a subject (its own, else the global one), or the global one. */
  async mode(subject?: string): Promise<RegistryMode> {
    const path = subject ? `/mode/${enc(subject)}?defaultToGlobal=true` : "/mode";
    const found = await this.#request<{ mode: RegistryMode }>("GET", path, undefined, subject);
    return found.mode;
  }

  /** Sets the mode of a subject, or the global one. */
  async setMode(mode: RegistryMode, subject?: string): Promise<void> {
    const path = subject ? `/mode/${enc(subject)}` : "/mode";
    await this.#request("PUT", path, { mode }, subject);
  }

  /** The effective compatibility level of a subject, or the global one. */
  async compatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject ? `/config/${enc(subject)}?defaultToGlobal=true` : "/config";
    const config = await this.#request<{ compatibilityLevel: CompatibilityLevel }>(
      "GET",
      path,
      undefined,
      subject,
    );
    return config.compatibilityLevel;
  }

  /** Sets the level of a subject, or the global one. */
  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    const path = subject ? `/config/${enc(subject)}` : "/config";
    await this.#request("PUT", path, { compatibility: level }, subject);
  }

  /**
   * Tests a candidate. Confluent's API tests only at the subject's configured
   * level, so another level is applied to the subject for the duration of the
   * test and then restored; concurrent writers of that subject's config would
   * race with it. See compatibility_answer.ts for where it is posted and how
   * the reasons are read (Apicurio 3 gives none).
   */
  async testCompatibility(
    subject: string,
    schema: string,
    options: { level?: CompatibilityLevel; version?: number | "latest" } = {},
  ): Promise<CompatibilityResult> {
    const existing = await this.versions(subject).catch(notFoundAs([]));
    if (existing.length === 0) return { isCompatible: true, messages: [] };
    const own = await this.#ownLevel(subject);
    const level = options.level;
    const effective = level ?? own ?? await this.compatibility();
    const path = compatibilityPath(subject, effective, options.version);
    if (level && level !== own) await this.setCompatibility(level, subject);
    try {
      const answer = await this.#request<CompatibilityAnswer>("POST", path, { schema }, subject);
      return { isCompatible: answer.is_compatible, messages: compatibilityReasons(answer) };
    } finally {
      if (level && level !== own) await this.#restoreLevel(subject, own);
    }
  }

  #ownLevel(subject: string): Promise<CompatibilityLevel | undefined> {
    return this.#request<{ compatibilityLevel: CompatibilityLevel }>(
      "GET",
      `/config/${enc(subject)}`,
      undefined,
      subject,
    ).then((config) => config.compatibilityLevel, notFoundAs(undefined));
  }

  async #restoreLevel(subject: string, level: CompatibilityLevel | undefined): Promise<void> {
    if (level) await this.setCompatibility(level, subject);
    else await this.#request("DELETE", `/config/${enc(subject)}`, undefined, subject);
  }
}
