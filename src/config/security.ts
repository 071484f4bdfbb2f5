/**
 * How a connection authenticates to Kafka: TLS (server certificates, client
 * certificates) and SASL (PLAIN, SCRAM, OAUTHBEARER through librdkafka's OIDC
 * client-credentials flow), from options and the environment, mapped to
 * librdkafka properties. Certificates and host names are verified unless a
 * user turns that off by name; SASL PLAIN over a plaintext listener is refused
 * unless allowed by name, because it sends the password in clear text.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { KafkaProperties } from "../transport/types.ts";

/** TLS and SASL settings of a Kafka connection; each wins over its environment variable. */
export interface KafkaSecurityOptions {
  /** `KAFKA_SECURITY_PROTOCOL`: `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`. */
  readonly securityProtocol?: string;
  /** `KAFKA_SASL_MECHANISM`: `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512` or `OAUTHBEARER`. */
  readonly saslMechanism?: string;
  /** `KAFKA_SASL_USERNAME`. */
  readonly saslUsername?: string;
  /** `KAFKA_SASL_PASSWORD`. Never logged. */
  readonly saslPassword?: string;
  /** `KAFKA_SSL_CA_LOCATION`: PEM file of the CA(s) that signed the brokers' certificates. */
  readonly sslCaLocation?: string;
  /** `KAFKA_SSL_CERTIFICATE_LOCATION`: PEM file of this client's certificate (mTLS). */
  readonly sslCertificateLocation?: string;
  /** `KAFKA_SSL_KEY_LOCATION`: PEM file of this client's private key (mTLS). */
  readonly sslKeyLocation?: string;
  /** `KAFKA_SSL_KEY_PASSWORD`: the private key's passphrase, if it has one. Never logged. */
  readonly sslKeyPassword?: string;
  /**
   * `KAFKA_SSL_ENDPOINT_IDENTIFICATION=none` or `false` here: do not check that
   * the broker's certificate names the host connected to. Insecure; warns once.
   */
  readonly sslEndpointIdentification?: boolean;
  /**
   * `KAFKA_SSL_CERTIFICATE_VERIFICATION=false` or `false` here: accept any
   * broker certificate. Insecure; warns once.
   */
  readonly sslCertificateVerification?: boolean;
  /** `KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL`: the OIDC token endpoint (client-credentials grant). */
  readonly oauthTokenEndpointUrl?: string;
  /** `KAFKA_SASL_OAUTHBEARER_CLIENT_ID`. */
  readonly oauthClientId?: string;
  /** `KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET`. Never logged. */
  readonly oauthClientSecret?: string;
  /** `KAFKA_SASL_OAUTHBEARER_SCOPE`, if the token endpoint wants one. */
  readonly oauthScope?: string;
  /** `KAFKA_ALLOW_PLAINTEXT_SASL=true`: allow PLAIN or OAUTHBEARER over `SASL_PLAINTEXT` (secrets in clear text). */
  readonly allowPlaintextSasl?: boolean;
}

/** Reads an environment variable (undefined when unset). */
export type Env = (name: string) => string | undefined;

/** A yes/no variable: unset is undefined; anything but a known spelling is a ConfigError. */
function flag(variable: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^(false|0|no|none|off)$/i.test(value)) return false;
  if (/^(true|1|yes|on|https)$/i.test(value)) return true;
  throw new ConfigError(
    `${variable}=${JSON.stringify(value)} is not a yes/no value: use true or false`,
  );
}

const protocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
const mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"];

/** Checks a value against the names librdkafka knows, so a typo fails here, naming the variable. */
function oneOf(what: string, value: string, known: readonly string[]): string {
  const upper = value.toUpperCase();
  if (known.includes(upper)) return upper;
  throw new ConfigError(`${what} "${value}" is unknown: use one of ${known.join(", ")}`);
}

const optionEnv: readonly [keyof KafkaSecurityOptions, string, string][] = [
  ["securityProtocol", "KAFKA_SECURITY_PROTOCOL", "security.protocol"],
  ["saslMechanism", "KAFKA_SASL_MECHANISM", "sasl.mechanisms"],
  ["saslUsername", "KAFKA_SASL_USERNAME", "sasl.username"],
  ["saslPassword", "KAFKA_SASL_PASSWORD", "sasl.password"],
  ["sslCaLocation", "KAFKA_SSL_CA_LOCATION", "ssl.ca.location"],
  ["sslCertificateLocation", "KAFKA_SSL_CERTIFICATE_LOCATION", "ssl.certificate.location"],
  ["sslKeyLocation", "KAFKA_SSL_KEY_LOCATION", "ssl.key.location"],
  ["sslKeyPassword", "KAFKA_SSL_KEY_PASSWORD", "ssl.key.password"],
  [
    "oauthTokenEndpointUrl",
    "KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL",
    "sasl.oauthbearer.token.endpoint.url",
  ],
  ["oauthClientId", "KAFKA_SASL_OAUTHBEARER_CLIENT_ID", "sasl.oauthbearer.client.id"],
  ["oauthClientSecret", "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET", "sasl.oauthbearer.client.secret"],
  ["oauthScope", "KAFKA_SASL_OAUTHBEARER_SCOPE", "sasl.oauthbearer.scope"],
];

/**
 * librdkafka properties for the security options, the environment filling
 * what the options leave out. An SASL mechanism without a protocol means
 * `SASL_SSL`; OAUTHBEARER with a token endpoint uses librdkafka's OIDC flow.
 *
 * @example
 * ```ts
 * import { kafkaSecurityProperties } from "@flowodm/flowodm";
 * const properties = kafkaSecurityProperties(
 *   { saslMechanism: "SCRAM-SHA-512", saslUsername: "app", saslPassword: "secret" },
 *   () => undefined,
 * );
 * console.log(properties["security.protocol"]); // "SASL_SSL"
 * ```
 */
export function kafkaSecurityProperties(options: KafkaSecurityOptions, env: Env): KafkaProperties {
  const properties: KafkaProperties = {};
  for (const [option, variable, property] of optionEnv) {
    const value = (options[option] as string | undefined) ?? env(variable);
    if (!value) continue;
    const what = options[option] === undefined ? variable : option;
    if (option === "securityProtocol") properties[property] = oneOf(what, value, protocols);
    else if (option === "saslMechanism") properties[property] = oneOf(what, value, mechanisms);
    else properties[property] = value;
  }
  if (properties["sasl.mechanisms"] && !properties["security.protocol"]) {
    properties["security.protocol"] = "SASL_SSL";
  }
  if (properties["sasl.oauthbearer.token.endpoint.url"]) {
    properties["sasl.oauthbearer.method"] = "oidc";
  }
  const hostCheck = options.sslEndpointIdentification ??
    flag("KAFKA_SSL_ENDPOINT_IDENTIFICATION", env("KAFKA_SSL_ENDPOINT_IDENTIFICATION"));
  if (hostCheck === false) properties["ssl.endpoint.identification.algorithm"] = "none";
  const verify = options.sslCertificateVerification ??
    flag("KAFKA_SSL_CERTIFICATE_VERIFICATION", env("KAFKA_SSL_CERTIFICATE_VERIFICATION"));
  if (verify === false) properties["enable.ssl.certificate.verification"] = false;
  return properties;
}

/** Whether `KAFKA_ALLOW_PLAINTEXT_SASL` or the option allows secrets over a plaintext listener. */
export function plaintextSaslAllowed(options: KafkaSecurityOptions, env: Env): boolean {
  return options.allowPlaintextSasl ??
    flag("KAFKA_ALLOW_PLAINTEXT_SASL", env("KAFKA_ALLOW_PLAINTEXT_SASL")) ?? false;
}

/** A warning about weakened TLS, with the key it is printed once under. */
export interface SecurityWarning {
  /** Which check is off (`plaintext-sasl`, `host-check`, `cert-check`). */
  readonly key: string;
  /** What to tell the user. */
  readonly message: string;
}

/**
 * The pure part of {@link checkKafkaSecurity}: the final properties and the
 * warnings to print, without printing them.
 */
export function securityCheck(
  properties: KafkaProperties,
  allowPlaintextSasl: boolean,
): { properties: KafkaProperties; warnings: SecurityWarning[] } {
  const warnings: SecurityWarning[] = [];
  const protocol = String(properties["security.protocol"] ?? "plaintext").toUpperCase();
  const mechanism = String(properties["sasl.mechanisms"] ?? properties["sasl.mechanism"] ?? "")
    .toUpperCase();
  if (protocol === "SASL_PLAINTEXT" && /^(PLAIN|OAUTHBEARER)$/.test(mechanism)) {
    if (!allowPlaintextSasl) {
      throw new ConfigError(
        `SASL ${mechanism} over SASL_PLAINTEXT would send the ${
          mechanism === "PLAIN" ? "password" : "token"
        } in clear text: use security protocol SASL_SSL, or allow it with ` +
          "allowPlaintextSasl: true (KAFKA_ALLOW_PLAINTEXT_SASL=true)",
      );
    }
    warnings.push({
      key: "plaintext-sasl",
      message: `SASL ${mechanism} over SASL_PLAINTEXT: secrets travel in clear text`,
    });
  }
  const result: KafkaProperties = { ...properties };
  if (/SSL$/.test(protocol)) {
    const hostCheck = String(result["ssl.endpoint.identification.algorithm"] ?? "https");
    result["ssl.endpoint.identification.algorithm"] = hostCheck;
    if (hostCheck.toLowerCase() === "none") {
      warnings.push({
        key: "host-check",
        message:
          "TLS host-name verification is off (ssl.endpoint.identification.algorithm=none): " +
          "any certificate of the trusted CA is accepted for any broker",
      });
    }
    if (String(result["enable.ssl.certificate.verification"]) === "false") {
      warnings.push({
        key: "cert-check",
        message:
          "TLS certificate verification is off (enable.ssl.certificate.verification=false): " +
          "anyone can pose as the brokers",
      });
    }
  }
  return { properties: result, warnings };
}

const warned = new Set<string>();

/** Prints each warning once per process. */
export function printSecurityWarnings(warnings: readonly SecurityWarning[]): void {
  for (const { key, message } of warnings) {
    if (warned.has(key)) continue;
    warned.add(key);
    console.warn(`[flowodm] ${message}`);
  }
}

/**
 * Checks the final librdkafka properties (options, environment and raw
 * properties merged): refuses SASL PLAIN or OAUTHBEARER over a plaintext
 * listener unless allowed, and warns once when certificate or host-name
 * checks are off. Host names are checked by default (librdkafka's `https`).
 *
 * @example
 * ```ts
 * import { checkKafkaSecurity } from "@flowodm/flowodm";
 * const properties = checkKafkaSecurity({ "security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN" }, false);
 * console.log(properties["ssl.endpoint.identification.algorithm"]); // "https"
 * ```
 */
export function checkKafkaSecurity(
  properties: KafkaProperties,
  allowPlaintextSasl: boolean,
): KafkaProperties {
  const checked = securityCheck(properties, allowPlaintextSasl);
  printSecurityWarnings(checked.warnings);
  return checked.properties;
}

export { isSecretProperty, redactProperties } from "./redaction.ts";
