/**
 * Environment resolution, as a pure function: connect options and a record of
 * environment variables in, typed connection settings out. Options win over
 * variables; an empty variable counts as unset; a value that cannot be right
 * (a non-numeric timeout, an unknown security protocol, `user` without
 * `:password`) is a ConfigError naming the variable or option. Reading the
 * process environment is done elsewhere (process_env.ts), so this is tested
 * with plain records.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { RegistryTls } from "../registry/tls_fetch.ts";
import { defaultConnectTimeoutMs } from "../transport/reachability.ts";
import type { KafkaProperties } from "../transport/types.ts";
import type { ConnectOptions } from "./options.ts";
import { registryTlsSettings } from "./registry_tls.ts";
import {
  type Env,
  kafkaSecurityProperties,
  plaintextSaslAllowed,
  securityCheck,
  type SecurityWarning,
} from "./security.ts";

/** Every environment variable the resolution reads. */
export const environmentVariables: readonly string[] = [
  "KAFKA_BOOTSTRAP_SERVERS",
  "KAFKA_CLIENT_ID",
  "KAFKA_CONNECT_TIMEOUT_MS",
  "KAFKA_SECURITY_PROTOCOL",
  "KAFKA_SASL_MECHANISM",
  "KAFKA_SASL_USERNAME",
  "KAFKA_SASL_PASSWORD",
  "KAFKA_SSL_CA_LOCATION",
  "KAFKA_SSL_CERTIFICATE_LOCATION",
  "KAFKA_SSL_KEY_LOCATION",
  "KAFKA_SSL_KEY_PASSWORD",
  "KAFKA_SSL_ENDPOINT_IDENTIFICATION",
  "KAFKA_SSL_CERTIFICATE_VERIFICATION",
  "KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL",
  "KAFKA_SASL_OAUTHBEARER_CLIENT_ID",
  "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET",
  "KAFKA_SASL_OAUTHBEARER_SCOPE",
  "KAFKA_ALLOW_PLAINTEXT_SASL",
  "SCHEMA_REGISTRY_URL",
  "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
  "SCHEMA_REGISTRY_SSL_CA_LOCATION",
  "SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION",
  "SCHEMA_REGISTRY_SSL_KEY_LOCATION",
  "SCHEMA_REGISTRY_BEARER_TOKEN",
];

/** How the registry is reached, beyond its URL. */
export interface RegistrySettings {
  /** `user:password` for basic auth. */
  readonly basicAuth?: string;
  /** A bearer token. */
  readonly bearerToken?: string;
  /** CA and client certificate files; all undefined when TLS is left to the system. */
  readonly tls: RegistryTls;
}

/** The resolved settings of a connection. */
export interface ConnectionSettings {
  /** Kafka bootstrap servers, or `memory://name`. */
  readonly bootstrapServers: string;
  /** The registry URL. */
  readonly schemaRegistryUrl: string;
  /** Milliseconds a never-connected client or a missing topic is waited for. */
  readonly connectTimeoutMs: number;
  /** librdkafka properties: client id, security, then the raw `kafka` option. */
  readonly kafka: Readonly<KafkaProperties>;
  /** Registry credentials and TLS files. */
  readonly registry: RegistrySettings;
  /** Weakened TLS checks to warn about (printed once by the connection, not here). */
  readonly warnings: readonly SecurityWarning[];
}

/**
 * Resolves connect options over a record of environment variables. Pure: it
 * reads nothing but its arguments and prints nothing.
 *
 * @example
 * ```ts
 * import { resolveConnectionSettings } from "@flowodm/flowodm";
 * const settings = resolveConnectionSettings({}, { KAFKA_BOOTSTRAP_SERVERS: "kafka:9092" });
 * console.log(settings.schemaRegistryUrl); // "http://localhost:8081"
 * ```
 */
export function resolveConnectionSettings(
  options: ConnectOptions,
  environment: Readonly<Record<string, string | undefined>>,
): ConnectionSettings {
  const env: Env = (name) => environment[name] || undefined;
  // No silent in-process default: a deployment missing a variable must not "produce" into memory.
  const bootstrapServers = given("bootstrapServers", options.bootstrapServers) ??
    env("KAFKA_BOOTSTRAP_SERVERS") ?? "localhost:9092";
  const memory = /^memory:\/\/(.*)$/.exec(bootstrapServers);
  const schemaRegistryUrl = registryUrl(
    given("schemaRegistryUrl", options.schemaRegistryUrl) ?? env("SCHEMA_REGISTRY_URL") ??
      (memory ? `mock://${memory[1] || "default"}` : "http://localhost:8081"),
    options.schemaRegistryUrl === undefined ? "SCHEMA_REGISTRY_URL" : "schemaRegistryUrl",
  );
  const security = securityCheck(
    {
      "client.id": options.clientId ?? env("KAFKA_CLIENT_ID") ?? "flowodm",
      ...kafkaSecurityProperties(options, env),
      ...options.kafka,
    },
    plaintextSaslAllowed(options, env),
  );
  return {
    bootstrapServers,
    schemaRegistryUrl,
    connectTimeoutMs: timeout(options.connectTimeoutMs, env("KAFKA_CONNECT_TIMEOUT_MS")),
    kafka: security.properties,
    registry: registrySettings(options, env),
    warnings: security.warnings,
  };
}

/** An explicit option given as an empty string is a mistake, not "unset". */
function given(option: string, value: string | undefined): string | undefined {
  if (value === "") throw new ConfigError(`${option} is empty`);
  return value;
}

function registryUrl(url: string, source: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  throw new ConfigError(
    `${source} "${url}" is not a registry URL: use http(s)://host:port or mock://scope`,
  );
}

function timeout(option: number | undefined, variable: string | undefined): number {
  if (option === undefined && variable === undefined) return defaultConnectTimeoutMs;
  const value = option ?? Number(variable);
  if (Number.isFinite(value) && value > 0) return value;
  const source = option === undefined ? `KAFKA_CONNECT_TIMEOUT_MS=${variable}` : option;
  throw new ConfigError(`connectTimeoutMs must be a positive number, got ${source}`);
}

function registrySettings(options: ConnectOptions, env: Env): RegistrySettings {
  const basicAuth = options.schemaRegistryBasicAuthUserInfo ??
    env("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
  if (basicAuth !== undefined && !basicAuth.includes(":")) {
    const source = options.schemaRegistryBasicAuthUserInfo === undefined
      ? "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"
      : "schemaRegistryBasicAuthUserInfo";
    throw new ConfigError(`${source} must be user:password (the value has no ":")`);
  }
  return { ...(basicAuth ? { basicAuth } : {}), ...registryTlsSettings(options, env) };
}
