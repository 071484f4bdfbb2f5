/**
 * What every `ffi` client does with librdkafka's log and error events (both
 * arrive on the client's main queue, as `log.queue=true` asks), and how a new
 * client proves that it reaches a broker before it is handed out.
 *
 * @module
 */
import type { TransportError } from "../../errors.ts";
import type { EventSinks } from "../common/client_context.ts";
import { ClientLog } from "../logging.ts";
import { unreachableError } from "../reachability.ts";
import { eventType, readString, transportError } from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";
import { serveWaitingEvents } from "./event_queue.ts";

/** Properties that route librdkafka's log lines to the event queue instead of stderr. */
export const logProperties = { "log.queue": true } as const;

/** Events every client asks for besides its own. */
export const clientEvents = eventType.log | eventType.error;

/** Serves one client's log and error events. */
export class ClientEvents {
  readonly #lib: NativeLibrary;
  readonly #sinks: EventSinks;
  readonly log: ClientLog;
  readonly #fac = new Uint8Array(new ArrayBuffer(8));
  readonly #str = new Uint8Array(new ArrayBuffer(8));
  readonly #level = new Uint8Array(new ArrayBuffer(8));

  constructor(lib: NativeLibrary, rk: Pointer, sinks: EventSinks) {
    this.#lib = lib;
    this.#sinks = sinks;
    // Logs go to the main queue, served by whoever polls it (see handle()).
    lib.call.rd_kafka_set_log_queue(rk, null);
    this.log = new ClientLog(sinks.logger, readString(lib, lib.call.rd_kafka_name(rk)));
  }

  /**
   * Handles a log or error event; returns "other" for any other type, and the
   * error for a fatal one (the client can no longer work).
   */
  handle(event: Pointer, type: number): "done" | "other" | TransportError {
    const lib = this.#lib;
    if (type === eventType.log) {
      lib.call.rd_kafka_event_log(event, this.#fac, this.#str, this.#level);
      const text = (out: Uint8Array) =>
        readString(lib, lib.pointer(new DataView(out.buffer).getBigUint64(0, true)));
      this.log.librdkafka(
        new DataView(this.#level.buffer).getInt32(0, true),
        text(this.#fac),
        text(this.#str),
      );
      return "done";
    }
    if (type !== eventType.error) return "other";
    const code = lib.call.rd_kafka_event_error(event);
    const detail = readString(lib, lib.call.rd_kafka_event_error_string(event));
    const fatal = lib.call.rd_kafka_event_error_is_fatal(event) !== 0;
    const error = transportError(lib, code, fatal ? "fatal client error" : "client error", detail);
    this.log.clientError(error.message, error.codeName, fatal);
    try {
      this.#sinks.onError?.(error);
    } catch (hookError) {
      this.log.flowodm("error", "the onError hook threw", { error: String(hookError) });
    }
    return fatal ? error : "done";
  }

  /** Serves every log and error event waiting on `queue` (other events are dropped). */
  drain(queue: Pointer): void {
    const lib = this.#lib;
    serveWaitingEvents(
      lib,
      queue,
      (event) => this.handle(event, lib.call.rd_kafka_event_type(event)),
    );
  }
}

/** One metadata request at most this long, so Bun's JS thread (which waits on it) stays responsive. */
const probeSliceMs = 500;

/**
 * Waits until the client has an answer from a broker, or fails after
 * `timeoutMs` with an error naming the bootstrap servers. `serve` runs
 * between attempts so log and error events are reported while it waits; an
 * error it returns (a refused SASL or TLS handshake) ends the wait at once.
 */
export async function awaitBroker(
  lib: NativeLibrary,
  rk: Pointer,
  bootstrapServers: string,
  timeoutMs: number,
  serve: () => TransportError | void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const out = new Uint8Array(new ArrayBuffer(8));
  let lastError = 0;
  for (;;) {
    const slice = Math.max(1, Math.min(probeSliceMs, deadline - Date.now()));
    const started = Date.now();
    const err = await lib.wait.rd_kafka_metadata(rk, 0, null, out, slice);
    const refused = serve();
    if (refused && err !== 0) throw refused;
    if (err === 0) {
      lib.call.rd_kafka_metadata_destroy(
        lib.pointer(new DataView(out.buffer).getBigUint64(0, true)),
      );
      return;
    }
    lastError = err;
    if (Date.now() >= deadline) {
      throw unreachableError(
        bootstrapServers,
        timeoutMs,
        `last error: ${readString(lib, lib.call.rd_kafka_err2str(lastError))}`,
      );
    }
    // A refused connection answers at once: do not spin.
    const spent = Date.now() - started;
    if (spent < 100) await new Promise((resolve) => setTimeout(resolve, 100 - spent));
  }
}
