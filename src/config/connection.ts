/**
 * Where models find Kafka and the Schema Registry. `connect()` sets the
 * process-wide default; the environment fills what options leave out (the
 * same variables as the Python FlowODM); nothing configured means
 * `localhost:9092` and `http://localhost:8081`, as other Kafka clients do.
 * The in-process `memory://` broker and `mock://` registry are used only when
 * asked for.
 *
 * @module
 */
import { ConnectClient } from "../connect/client.ts";
import type { ConnectClientOptions } from "../connect/client_options.ts";
import { ConfigError } from "../errors.ts";
import { SchemaRegistryClient } from "../registry/client.ts";
import { MockSchemaRegistry } from "../registry/mock_registry.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { createTransport } from "../transport/select.ts";
import {
  checkKafkaSecurity,
  type KafkaSecurityOptions,
  kafkaSecurityProperties,
  plaintextSaslAllowed,
} from "./security.ts";
import { registryAccess, type RegistryTlsOptions } from "./registry_tls.ts";
import type {
  KafkaProperties,
  Transport,
  TransportName,
  TransportProducer,
} from "../transport/types.ts";
import type { TransportError } from "../errors.ts";
import type { Logger } from "../transport/logging.ts";
import { defaultConnectTimeoutMs } from "../transport/reachability.ts";

/** Options of {@link connect}; each wins over its environment variable. */
export interface ConnectOptions extends KafkaSecurityOptions, RegistryTlsOptions {
  /** `KAFKA_BOOTSTRAP_SERVERS`; default `localhost:9092`. `memory://name` is the in-process broker. */
  readonly bootstrapServers?: string;
  /** `KAFKA_CLIENT_ID`; default `flowodm`. */
  readonly clientId?: string;
  /**
   * `SCHEMA_REGISTRY_URL`; default `http://localhost:8081`, or `mock://name` when the
   * broker is `memory://name` (`mock://default` for a bare `memory://`).
   */
  readonly schemaRegistryUrl?: string;
  /** `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`, `user:password`. Never logged. */
  readonly schemaRegistryBasicAuthUserInfo?: string;
  /** Further librdkafka properties, passed through untouched. */
  readonly kafka?: KafkaProperties;
  /** The transport to use instead of the runtime's default. */
  readonly transport?: TransportName;
  /** A registry object to use instead of one built from the URL. */
  readonly registry?: SchemaRegistry;
  /**
   * `KAFKA_CONNECT_TIMEOUT_MS`: how long a client that never reached a broker,
   * or a consumer of a topic that does not exist, waits before failing with
   * an error naming the address or topic; default 15 000.
   */
  readonly connectTimeoutMs?: number;
  /**
   * Receives librdkafka's log lines (`fields.facility`, `fields.level`) and
   * the library's own events, loops included; default: one line per event
   * at warn and above on the console.
   */
  readonly logger?: Logger;
  /** Told of every client-level error (a broker down, a fatal producer error). */
  readonly onError?: (error: TransportError) => void;
  /** Kafka Connect (over `KAFKA_CONNECT_URL` and friends), for {@link Connection.kafkaConnect}. */
  readonly connect?: ConnectClientOptions;
}

type RegistryFactory = (url: string) => SchemaRegistry;
const registryFactories = new Map<string, RegistryFactory>();

/**
 * Lets a module serve registry URLs of a scheme, as `mock://` does. Kept as a
 * hook so the HTTP client never imports the in-process registry.
 *
 * @example
 * ```ts
 * import { registerRegistryScheme, SchemaRegistryClient } from "@flowodm/flowodm";
 * registerRegistryScheme("proxy:", (url) => new SchemaRegistryClient({ url: url.replace("proxy:", "http:") }));
 * ```
 */
export function registerRegistryScheme(
  scheme: string,
  factory: (url: string) => SchemaRegistry,
): void {
  registryFactories.set(scheme, factory);
}

function env(name: string): string | undefined {
  const deno = (globalThis as { Deno?: { env: { get(n: string): string | undefined } } }).Deno;
  if (deno) {
    try {
      return deno.env.get(name);
    } catch {
      return undefined; // no --allow-env: the variable counts as unset
    }
  }
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env[name];
}

/**
 * A resolved connection: Kafka address and librdkafka properties, and the
 * registry. Secrets stay out of `toString`, `JSON.stringify` and inspection.
 *
 * @example
 * ```ts
 * import { Connection } from "@flowodm/flowodm";
 * const connection = new Connection({ bootstrapServers: "localhost:9092", schemaRegistryUrl: "http://localhost:8081" });
 * console.log(String(connection)); // no passwords in there
 * ```
 */
export class Connection {
  /** Kafka bootstrap servers, or `memory://name`. */
  readonly bootstrapServers: string;
  /** The registry URL (without credentials). */
  readonly schemaRegistryUrl: string;
  /** The transport implementation chosen explicitly, if any. */
  readonly transportName?: TransportName;
  /** How long a new client or a missing topic is waited for before failing. */
  readonly connectTimeoutMs: number;
  /** The logger given to `connect()`, if any. */
  readonly logger?: Logger;
  readonly #onError?: (error: TransportError) => void;
  readonly #kafka: KafkaProperties;
  readonly #registryAuth?: string;
  readonly #registryAccess: ReturnType<typeof registryAccess>;
  #registry?: SchemaRegistry;
  #transport?: Promise<Transport>;
  #producer?: Promise<TransportProducer>;
  readonly #connectOptions?: ConnectClientOptions;
  #connect?: ConnectClient;

  /** Resolves options over the environment. */
  constructor(options: ConnectOptions = {}) {
    // No silent in-process default: a deployment missing a variable must not "produce" into memory.
    this.bootstrapServers = options.bootstrapServers ?? env("KAFKA_BOOTSTRAP_SERVERS") ??
      "localhost:9092";
    const memory = /^memory:\/\/(.*)$/.exec(this.bootstrapServers);
    this.schemaRegistryUrl = options.schemaRegistryUrl ?? env("SCHEMA_REGISTRY_URL") ??
      (memory ? `mock://${memory[1] || "default"}` : "http://localhost:8081");
    this.transportName = options.transport;
    const timeout = options.connectTimeoutMs ?? Number(env("KAFKA_CONNECT_TIMEOUT_MS") || NaN);
    if (Number.isNaN(timeout)) this.connectTimeoutMs = defaultConnectTimeoutMs;
    else if (timeout > 0) this.connectTimeoutMs = timeout;
    else throw new ConfigError(`connectTimeoutMs must be a positive number, got ${timeout}`);
    this.logger = options.logger;
    this.#onError = options.onError;
    this.#registryAuth = options.schemaRegistryBasicAuthUserInfo ??
      env("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
    this.#registry = options.registry;
    this.#connectOptions = options.connect;
    this.#registryAccess = registryAccess(options, env);
    const kafka: KafkaProperties = {
      "client.id": options.clientId ?? env("KAFKA_CLIENT_ID") ?? "flowodm",
    };
    Object.assign(kafka, kafkaSecurityProperties(options, env));
    this.#kafka = checkKafkaSecurity(
      { ...kafka, ...options.kafka },
      plaintextSaslAllowed(options, env),
    );
  }

  /** librdkafka properties for every client of this connection (secrets included: do not log). */
  kafkaProperties(): KafkaProperties {
    return { ...this.#kafka };
  }

  /** The registry client, created on first use. */
  registry(): SchemaRegistry {
    if (this.#registry) return this.#registry;
    const url = this.schemaRegistryUrl;
    const scheme = url.slice(0, url.indexOf(":") + 1);
    const factory = registryFactories.get(scheme);
    if (factory) {
      this.#registry = factory(url);
    } else if (scheme === "mock:") {
      this.#registry = new MockSchemaRegistry(url);
    } else if (scheme === "http:" || scheme === "https:") {
      this.#registry = new SchemaRegistryClient({
        url,
        basicAuth: this.#registryAuth,
        ...this.#registryAccess,
      });
    } else {
      throw new ConfigError(
        `no Schema Registry client for "${url}": use http(s)://host:port or mock://scope`,
      );
    }
    return this.#registry;
  }

  /** The Kafka Connect client, created on first use (a ConfigError when no URL is configured). */
  kafkaConnect(): ConnectClient {
    this.#connect ??= new ConnectClient(this.#connectOptions);
    return this.#connect;
  }

  /** The transport to the cluster, created on first use and shared by every model of this connection. */
  transport(): Promise<Transport> {
    this.#transport ??= createTransport({
      bootstrapServers: this.bootstrapServers,
      properties: this.#kafka,
      transport: this.transportName,
      connectTimeoutMs: this.connectTimeoutMs,
      logger: this.logger,
      onError: this.#onError,
    }).catch((error) => {
      this.#transport = undefined;
      throw error;
    });
    return this.#transport;
  }

  /** The one producer every model of this connection shares, created on first use. */
  producer(): Promise<TransportProducer> {
    this.#producer ??= this.transport().then((transport) => transport.producer()).catch(
      (error) => {
        this.#producer = undefined;
        throw error;
      },
    );
    return this.#producer;
  }

  /** Flushes and closes the producer, then the transport (consumers leave their groups). */
  async close(): Promise<void> {
    const producer = this.#producer;
    const transport = this.#transport;
    this.#producer = undefined;
    this.#transport = undefined;
    if (producer) await (await producer).close();
    if (transport) await (await transport).close();
  }

  /** A description without secrets. */
  toString(): string {
    return `Connection(kafka=${this.bootstrapServers}, registry=${this.schemaRegistryUrl})`;
  }

  /** What `JSON.stringify` shows: no secrets. */
  toJSON(): object {
    return { bootstrapServers: this.bootstrapServers, schemaRegistryUrl: this.schemaRegistryUrl };
  }

  /** What Node's and Deno's inspection shows: no secrets. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Deno's inspection hook. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

let current: Connection | undefined;

/**
 * Flushes and closes the default connection's clients; call it before exit.
 *
 * @example
 * ```ts
 * import { close } from "@flowodm/flowodm";
 * await close();
 * ```
 */
export async function close(): Promise<void> {
  await current?.close();
}

/**
 * Sets the process-wide default connection that models use unless they are
 * bound to another, and returns it.
 *
 * @example
 * ```ts
 * import { connect } from "@flowodm/flowodm";
 * connect({ bootstrapServers: "localhost:9092", schemaRegistryUrl: "http://localhost:8081" });
 * ```
 */
export function connect(options: ConnectOptions = {}): Connection {
  current = new Connection(options);
  return current;
}

/**
 * The default connection: the last `connect()`, else one from the environment.
 *
 * @example
 * ```ts
 * import { defaultConnection } from "@flowodm/flowodm";
 * console.log(defaultConnection().bootstrapServers);
 * ```
 */
export function defaultConnection(): Connection {
  current ??= new Connection();
  return current;
}
