/**
 * A request whose answer librdkafka posts as an event on a queue of the
 * request's own (Admin API calls, offset commits): sent, awaited off the JS
 * thread in short slices, and failed with the event's error or a timeout.
 *
 * @module
 */
import { errorCode, readString, transportError } from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";

/** How long a request may wait for its answer. */
export const requestTimeoutMs = 30_000;
/** The longest single off-thread wait, so that close() never waits long behind one. */
export const pollSliceMs = 200;

/**
 * Sends a request on a private queue of `rk` and returns its answer event
 * (the caller destroys it); rejects with the event's error, named `what`, or
 * after {@link requestTimeoutMs}. `serve` runs after every wait (e.g. to
 * report the client's log lines meanwhile).
 */
export async function request(
  lib: NativeLibrary,
  rk: Pointer,
  what: string,
  send: (queue: Pointer) => void,
  serve?: () => void,
): Promise<Pointer> {
  const queue = lib.call.rd_kafka_queue_new(rk)!;
  try {
    send(queue);
    const deadline = Date.now() + requestTimeoutMs;
    while (Date.now() < deadline) {
      const event = await lib.wait.rd_kafka_queue_poll(queue, pollSliceMs);
      serve?.();
      if (event === null) continue;
      const err = lib.call.rd_kafka_event_error(event);
      if (err !== 0) {
        const detail = readString(lib, lib.call.rd_kafka_event_error_string(event));
        lib.call.rd_kafka_event_destroy(event);
        throw transportError(lib, err, what, detail);
      }
      return event;
    }
    throw transportError(lib, errorCode.timedOut, `${what}: no answer`);
  } finally {
    lib.call.rd_kafka_queue_destroy(queue);
  }
}
