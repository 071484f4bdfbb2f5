/**
 * Serving what already waits on a librdkafka event queue, without blocking:
 * each event is handed over once and destroyed once, even when its handler
 * throws.
 *
 * @module
 */
import type { NativeLibrary, Pointer } from "./native.ts";

/** Hands every event waiting on `queue` to `handle`, then destroys it. */
export function serveWaitingEvents(
  lib: NativeLibrary,
  queue: Pointer,
  handle: (event: Pointer) => void,
): void {
  for (let event = lib.call.rd_kafka_queue_poll(queue, 0); event !== null;) {
    try {
      handle(event);
    } finally {
      lib.call.rd_kafka_event_destroy(event);
    }
    event = lib.call.rd_kafka_queue_poll(queue, 0);
  }
}
