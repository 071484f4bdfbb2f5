/**
 * What may be shown of a connection's configuration: librdkafka properties
 * with secret values masked, URLs without their user info, and the summary
 * a connection prints for `toString`, `JSON.stringify` and inspection.
 *
 * @module
 */
import type { KafkaProperties } from "../transport/types.ts";

/** librdkafka properties whose values are secrets. */
export function isSecretProperty(name: string): boolean {
  return /password|secret|jaas|\.pem$|key\.pem|token|credentials/i.test(name) &&
    !/location$|endpoint|method|\.ms$/i.test(name);
}

/**
 * A copy of librdkafka properties with every secret value replaced by `***`,
 * for messages and logs.
 *
 * @example
 * ```ts
 * import { redactProperties } from "@flowodm/flowodm";
 * console.log(redactProperties({ "sasl.password": "secret" })); // { "sasl.password": "***" }
 * ```
 */
export function redactProperties(properties: KafkaProperties): KafkaProperties {
  return Object.fromEntries(
    Object.entries(properties).map((
      [name, value],
    ) => [name, isSecretProperty(name) ? "***" : value]),
  );
}

/** A URL with any `user:password@` replaced by `***@`; text that is no URL is returned as is. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

/** What a connection shows of itself: addresses only, never credentials. */
export interface ConnectionSummary {
  /** Kafka bootstrap servers, or `memory://name`. */
  readonly bootstrapServers: string;
  /** The registry URL, user info masked. */
  readonly schemaRegistryUrl: string;
}

/** The summary of a connection's addresses, credentials masked. */
export function connectionSummary(
  bootstrapServers: string,
  schemaRegistryUrl: string,
): ConnectionSummary {
  return {
    bootstrapServers: redactUrl(bootstrapServers),
    schemaRegistryUrl: redactUrl(schemaRegistryUrl),
  };
}

/** The one-line form of {@link connectionSummary}. */
export function describeConnection(summary: ConnectionSummary): string {
  return `Connection(kafka=${summary.bootstrapServers}, registry=${summary.schemaRegistryUrl})`;
}
