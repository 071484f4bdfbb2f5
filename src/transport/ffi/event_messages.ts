/**
 * Takes the messages of an event with one `rd_kafka_event_message_array`
 * call into a reusable array of pointers, instead of one
 * `rd_kafka_event_message_next` call per message and one more for the end.
 *
 * @module
 */
import type { NativeLibrary, Pointer } from "./native.ts";

/** Pointers taken per call; an event with more is taken in several calls. */
const slots = 64;
/** The same, as the bigint Deno's fast calls take for a `size_t`. */
const slotsArg = BigInt(slots);

/** The messages last taken from an event; valid until the event is destroyed. */
export class EventMessages {
  readonly #lib: NativeLibrary;
  readonly #bytes = new Uint8Array(slots * 8);
  readonly #words = new BigUint64Array(this.#bytes.buffer);
  #count = 0;

  constructor(lib: NativeLibrary) {
    this.#lib = lib;
  }

  /** Takes the event's next messages (none left gives 0); each message is taken once. */
  take(event: Pointer): number {
    this.#count = this.#lib.call.rd_kafka_event_message_array(event, this.#bytes, slotsArg);
    return this.#count;
  }

  /** Whether the last take filled every slot, so the event may hold more. */
  get full(): boolean {
    return this.#count === slots;
  }

  /** The `index`th message of the last take. */
  at(index: number): Pointer {
    return this.#lib.pointerIn(this.#words, index)!;
  }
}
