/**
 * A client that has never been served by any broker and is refused by one,
 * because its credentials are wrong (SASL authentication) or the broker's
 * certificate is not trusted or does not name the host (TLS handshake), fails
 * at once instead of retrying until a timeout: that is a mistake to fix, not
 * an outage to wait out. librdkafka's message names the broker
 * (`sasl_ssl://host:port/...`) and the SASL mechanism, never the password.
 *
 * @module
 */
import { TransportError } from "../errors.ts";
import type { KafkaProperties } from "./types.ts";

/** `RD_KAFKA_RESP_ERR__AUTHENTICATION` and `RD_KAFKA_RESP_ERR__SSL`. */
const refusalCodes = new Map([[-169, "_AUTHENTICATION"], [-181, "_SSL"]]);

/**
 * TLS alerts by which a broker refuses this client's certificate (bad
 * certificate, unknown CA, certificate required): librdkafka reports them as
 * a failed receive (`_TRANSPORT`) after the handshake, like a dropped connection.
 */
const refusedCertificate = /SSL alert number (42|48|116)\b/;

/** The refusal code an error means (`_AUTHENTICATION` or `_SSL`), if it is one. */
export function refusalCode(code: number | undefined, detail: string): number | undefined {
  if (code !== undefined && refusalCodes.has(code)) return code;
  if (refusedCertificate.test(detail)) return -181;
  return undefined;
}

/** The SASL mechanism configured, for messages (librdkafka does not always name it). */
export function saslMechanism(properties: KafkaProperties): string {
  return String(properties["sasl.mechanisms"] ?? properties["sasl.mechanism"] ?? "GSSAPI");
}

/** The error a refused client fails with; `mechanism` is the configured SASL mechanism. */
export function refusalError(code: number, detail: string, mechanism: string): TransportError {
  const what = code === -169
    ? `SASL ${mechanism} authentication failed`
    : refusedCertificate.test(detail)
    ? "the broker refused the client certificate"
    : "the TLS handshake failed";
  const hint = code === -169
    ? "check the SASL mechanism, user name and password"
    : "check ssl.ca.location, the client certificate, and that the broker's certificate names the host";
  return new TransportError(`the broker refused the connection (${what}): ${detail} (${hint})`, {
    code,
    codeName: refusalCodes.get(code),
    retriable: false,
  });
}
