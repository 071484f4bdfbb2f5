/**
 * What every native client does with the addon's `event.log` and
 * `event.error` (librdkafka's log lines and client errors), and how a new
 * client proves that it reaches a broker: the addon's `connect()` fetches
 * metadata, bounded by the connect timeout, and its failure names the
 * bootstrap servers.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import { ClientLog } from "../logging.ts";
import type { ClientContext } from "../common/client_context.ts";
import { unreachableError } from "../reachability.ts";
import { connectClient, type Kafka, transportError } from "./client.ts";
import { refusalCode } from "../refusal.ts";
import type { KafkaProperties } from "../types.ts";

/**
 * Routes a client's log lines and errors to the logger and `onError`;
 * `onFatal` hears a fatal error once. Returns the client's log.
 */
export function watchEvents(
  client: Kafka,
  name: string,
  context: ClientContext,
  onFatal?: (error: TransportError) => void,
): ClientLog {
  const log = new ClientLog(context.logger, name);
  client.on("event.log", (line: { severity: number; fac: string; message: string }) => {
    log.librdkafka(line.severity, line.fac, line.message);
  });
  client.on("event.error", (raw: { isFatal?: boolean }) => {
    const fatal = Boolean(raw?.isFatal);
    const error = transportError(fatal ? "fatal client error" : "client error", raw);
    log.clientError(error.message, error.codeName, fatal);
    try {
      context.onError?.(error);
    } catch (hookError) {
      log.flowodm("error", "the onError hook threw", { error: String(hookError) });
    }
    if (fatal) onFatal?.(error);
  });
  return log;
}

/**
 * Connects a producer or consumer: a broker refusing its credentials or TLS
 * fails at once (see ./client.ts), no broker answering fails within the
 * connect timeout naming the bootstrap servers.
 */
export async function connectWithin(
  what: string,
  client: Kafka,
  properties: KafkaProperties,
  context: ClientContext,
): Promise<void> {
  const ms = context.connectTimeoutMs;
  const connected = connectClient(what, client, properties, ms);
  // The addon's failed connect then disconnects, waiting up to 10 s more: do not wait for that.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    const timedOut = -185;
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no metadata within ${ms} ms`), { code: timedOut })),
      ms,
    );
  });
  try {
    await Promise.race([connected, late]);
  } catch (error) {
    // Release the client once the addon is done with it, whichever way it ends.
    connected.then(() => client.disconnect(), () => {});
    if (error instanceof TransportError && refusalCode(error.code, error.message) !== undefined) {
      throw error; // refused credentials or TLS: it names the broker and what to check
    }
    // The addon serves error events only once connected, so its connect failure is the client error.
    const cause = (error as { cause?: unknown }).cause ?? error;
    try {
      context.onError?.(transportError("client error", cause));
    } catch {
      // the hook's failure must not hide the connection's
    }
    throw unreachableError(
      context.bootstrapServers,
      ms,
      `last error: ${(error as { cause?: { message?: string } }).cause?.message ?? error}`,
      error,
    );
  } finally {
    clearTimeout(timer);
  }
}
