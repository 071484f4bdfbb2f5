/**
 * What `connect()` and `new Connection()` accept. Every option wins over its
 * environment variable (see environment.ts for the resolution).
 *
 * @module
 */
import type { ConnectClientOptions } from "../connect/client_options.ts";
import type { TransportError } from "../errors.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { Logger } from "../transport/logging.ts";
import type { KafkaProperties, TransportName } from "../transport/types.ts";
import type { KafkaSecurityOptions } from "./security.ts";
import type { RegistryTlsOptions } from "./registry_tls.ts";

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
