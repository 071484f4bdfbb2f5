/**
 * One librdkafka client handle, set up the same way for the `ffi` producer,
 * consumer and admin client: create the handle, serve its events while
 * waiting for a first broker answer, release it if none comes (or a broker
 * refuses it), and otherwise hand it to the client built on it.
 *
 * @module
 */
import type { TransportError } from "../../errors.ts";
import type { ClientContext } from "../common/client_context.ts";
import { refusalCode, refusalError, saslMechanism } from "../refusal.ts";
import type { KafkaProperties } from "../types.ts";
import { awaitBroker, ClientEvents, clientEvents, logProperties } from "./client_events.ts";
import { serveWaitingEvents } from "./event_queue.ts";
import { clientType, createClient, eventType, readString } from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";

/** What kind of client a handle is for, and what it is made of. */
export interface HandleSetup {
  /** An admin client is a producer handle that never produces. */
  readonly kind: "producer" | "consumer" | "admin";
  /** Resolved librdkafka properties. */
  readonly properties: KafkaProperties;
  /** Event types the client serves besides log and error events. */
  readonly events?: number;
}

/** What a client adds to its handle: how it serves one event while the handle waits for a broker. */
export interface HandleOwner {
  /** Serves one event of the handle's queue (the caller destroys it). */
  serve(event: Pointer): void;
}

/** A client's librdkafka handle and the state every kind of client keeps about it. */
export class ClientHandle {
  /** The loaded library. */
  readonly lib: NativeLibrary;
  /** `rd_kafka_t`. */
  readonly rk: Pointer;
  /** The queue the client serves: the consumer queue of a consumer, else the main queue. */
  readonly queue: Pointer;
  /** Its log and error events. */
  readonly events: ClientEvents;
  /** What the transport handed it. */
  readonly context: ClientContext;
  /** Whether a broker ever served the client: until then a refusal is fatal. */
  reached = false;
  /** The error that ended the client, if one did. */
  fatal: TransportError | null = null;
  readonly #mechanism: string;

  private constructor(lib: NativeLibrary, setup: HandleSetup, context: ClientContext) {
    this.lib = lib;
    this.context = context;
    this.#mechanism = saslMechanism(setup.properties);
    this.rk = createClient(
      lib,
      setup.kind === "consumer" ? clientType.consumer : clientType.producer,
      { ...setup.properties, ...logProperties },
      (setup.events ?? 0) | clientEvents,
    );
    this.events = new ClientEvents(lib, this.rk, context);
    if (setup.kind === "consumer") {
      lib.call.rd_kafka_poll_set_consumer(this.rk);
      this.queue = lib.call.rd_kafka_queue_get_consumer(this.rk)!;
    } else {
      this.queue = lib.call.rd_kafka_queue_get_main(this.rk)!;
    }
  }

  /**
   * Creates a handle, builds its client, and resolves once a broker answered;
   * fails naming the bootstrap servers when none did within the connect
   * timeout, or at once when a broker refused the client (wrong credentials,
   * untrusted TLS), releasing the handle either way.
   */
  static async open<C extends HandleOwner>(
    lib: NativeLibrary,
    setup: HandleSetup,
    context: ClientContext,
    build: (handle: ClientHandle) => C,
  ): Promise<C> {
    const handle = new ClientHandle(lib, setup, context);
    const client = build(handle);
    try {
      await awaitBroker(lib, handle.rk, context.bootstrapServers, context.connectTimeoutMs, () => {
        serveWaitingEvents(lib, handle.queue, (event) => client.serve(event));
        return handle.fatal ?? undefined;
      });
    } catch (error) {
      await handle.release();
      throw error;
    }
    // A broker answered: from now on a failure is an outage to wait out, not a mistake.
    handle.reached = true;
    return client;
  }

  /**
   * Serves a log or error event. Before any broker served the client, a
   * refusal (see ../refusal.ts) ends it: "refused"; a fatal error ends it at
   * any time: "fatal". Either is then `fatal` (the first one stays).
   */
  serveClientEvent(event: Pointer, type: number): "refused" | "fatal" | undefined {
    const lib = this.lib;
    if (type === eventType.error && !this.reached && !this.fatal) {
      const code = lib.call.rd_kafka_event_error(event);
      const detail = readString(lib, lib.call.rd_kafka_event_error_string(event));
      const refused = refusalCode(code, detail);
      if (refused !== undefined && !lib.call.rd_kafka_event_error_is_fatal(event)) {
        this.fatal = refusalError(refused, detail, this.#mechanism);
        this.events.handle(event, type);
        return "refused";
      }
    }
    const outcome = this.events.handle(event, type);
    if (typeof outcome !== "object" || this.fatal) return undefined;
    this.fatal = outcome;
    return "fatal";
  }

  /** Reports the log and error events still queued, then destroys the queue and the handle. */
  async release(): Promise<void> {
    this.events.drain(this.queue);
    this.lib.call.rd_kafka_queue_destroy(this.queue);
    await this.lib.wait.rd_kafka_destroy(this.rk);
  }
}
