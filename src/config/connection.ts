/**
 * Where models find Kafka and the Schema Registry. `connect()` sets the
 * process-wide default; the environment fills what options leave out (the
 * same variables as the Python FlowODM); nothing configured means
 * `localhost:9092` and `http://localhost:8081`, as other Kafka clients do.
 * The in-process `memory://` broker and `mock://` registry are used only when
 * asked for.
 *
 * A connection is put together from parts: the pure environment resolution
 * (environment.ts), the clients and their lifecycle (clients.ts), the
 * registry scheme table (registry_schemes.ts) and what may be shown of it
 * (redaction.ts).
 *
 * @module
 */
// The built-in registry schemes (http, https, mock) are registered through the hook, here where
// connections are handed out; the Connection class itself knows no registry implementation.
import "../registry/builtin_schemes.ts";
import type { ConnectClient } from "../connect/client.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { Logger } from "../transport/logging.ts";
import type {
  KafkaProperties,
  Transport,
  TransportName,
  TransportProducer,
} from "../transport/types.ts";
import { ConnectionClients } from "./clients.ts";
import { resolveConnectionSettings } from "./environment.ts";
import type { ConnectOptions } from "./options.ts";
import { readEnvironment } from "./process_env.ts";
import { connectionSummary, describeConnection } from "./redaction.ts";
import { printSecurityWarnings } from "./security.ts";

export type { ConnectOptions } from "./options.ts";
export { registerRegistryScheme } from "./registry_schemes.ts";

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
  readonly #kafka: KafkaProperties;
  readonly #clients: ConnectionClients;

  /** Resolves options over the process environment (a ConfigError for a value that cannot be right). */
  constructor(options: ConnectOptions = {}) {
    const settings = resolveConnectionSettings(options, readEnvironment());
    printSecurityWarnings(settings.warnings);
    this.bootstrapServers = settings.bootstrapServers;
    this.schemaRegistryUrl = settings.schemaRegistryUrl;
    this.transportName = options.transport;
    this.connectTimeoutMs = settings.connectTimeoutMs;
    this.logger = options.logger;
    this.#kafka = settings.kafka;
    this.#clients = new ConnectionClients(settings, options);
  }

  /** librdkafka properties for every client of this connection (secrets included: do not log). */
  kafkaProperties(): KafkaProperties {
    return { ...this.#kafka };
  }

  /** The registry client, created on first use. */
  registry(): SchemaRegistry {
    return this.#clients.registry();
  }

  /** The Kafka Connect client, created on first use (a ConfigError when no URL is configured). */
  kafkaConnect(): ConnectClient {
    return this.#clients.kafkaConnect();
  }

  /** The transport to the cluster, created on first use and shared by every model of this connection. */
  transport(): Promise<Transport> {
    return this.#clients.transport();
  }

  /** The one producer every model of this connection shares, created on first use. */
  producer(): Promise<TransportProducer> {
    return this.#clients.producer();
  }

  /** Flushes and closes the producer, then the transport (consumers leave their groups). */
  close(): Promise<void> {
    return this.#clients.close();
  }

  /** A description without secrets. */
  toString(): string {
    return describeConnection(this.toJSON());
  }

  /** What `JSON.stringify` shows: no secrets. */
  toJSON(): { bootstrapServers: string; schemaRegistryUrl: string } {
    return connectionSummary(this.bootstrapServers, this.schemaRegistryUrl);
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
/** Closes of connections replaced by `connect()`, awaited by `close()`. */
const replaced = new Set<Promise<void>>();

/**
 * Flushes and closes the default connection's clients, and finishes closing
 * any connection an earlier `connect()` replaced; call it before exit.
 *
 * @example
 * ```ts
 * import { close } from "@flowodm/flowodm";
 * await close();
 * ```
 */
export async function close(): Promise<void> {
  await Promise.all([current?.close(), ...replaced]);
}

/**
 * Sets the process-wide default connection that models use unless they are
 * bound to another, and returns it. The connection it replaces is closed
 * (its producer flushed first); `close()` waits for that to finish.
 *
 * @example
 * ```ts
 * import { connect } from "@flowodm/flowodm";
 * connect({ bootstrapServers: "localhost:9092", schemaRegistryUrl: "http://localhost:8081" });
 * ```
 */
export function connect(options: ConnectOptions = {}): Connection {
  const next = new Connection(options);
  const previous = current;
  current = next;
  if (previous) {
    const closing = previous.close().catch((error) => {
      (previous.logger ?? console).error(
        `[flowodm] closing the connection replaced by connect() failed: ${error}`,
      );
    }).finally(() => replaced.delete(closing));
    replaced.add(closing);
  }
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
