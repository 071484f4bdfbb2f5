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

/** `RD_KAFKA_RESP_ERR__AUTHENTICATION` and `RD_KAFKA_RESP_ERR__SSL`. */
const refusalCodes = new Map([[-169, "_AUTHENTICATION"], [-181, "_SSL"]]);

/** Whether an error code means the broker refused this client's credentials or TLS. */
export function isRefusal(code: number | undefined): boolean {
  return code !== undefined && refusalCodes.has(code);
}

/** The error a refused client fails with. */
export function refusalError(code: number, detail: string, cause?: unknown): TransportError {
  const hint = code === -169
    ? "check the SASL mechanism, user name and password"
    : "check ssl.ca.location, the client certificate, and that the broker's certificate names the host";
  return new TransportError(`the broker refused the connection: ${detail} (${hint})`, {
    code,
    codeName: refusalCodes.get(code),
    retriable: false,
    cause,
  });
}
