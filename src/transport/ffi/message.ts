/**
 * Reads `rd_kafka_message_t` (x86_64/aarch64 layout) into JS values.
 * Messages taken from events belong to the event and are freed with it.
 *
 * @module
 */
import type { IncomingMessage, KafkaHeader } from "../types.ts";
import { ByteSlab } from "./byte_slab.ts";
import { errorCode, readString } from "./librdkafka.ts";
import { type Address, keyWord, MessageStruct, payloadWord } from "./message_struct.ts";
import type { NativeLibrary, Pointer } from "./native.ts";

// err@0 (int32), partition@16 (int32), offset@56 (int64), _private@64 (the
// producer's msg_opaque); the whole layout is in ./message_struct.ts.
const fErr = 0, fPartition = 16, fOffset = 56, fPrivate = 64;

/** Reads fields of native messages, caching topic names by handle. */
export class MessageReader {
  readonly #lib: NativeLibrary;
  readonly #topics = new Map<Address, string>();
  readonly #struct = new MessageStruct();
  readonly #out = new Uint8Array(new ArrayBuffer(8));
  readonly #name = new Uint8Array(new ArrayBuffer(8));
  readonly #value = new Uint8Array(new ArrayBuffer(8));
  readonly #size = new Uint8Array(new ArrayBuffer(8));
  readonly #outWords = new BigUint64Array(this.#out.buffer);
  readonly #nameWords = new BigUint64Array(this.#name.buffer);
  readonly #valueWords = new BigUint64Array(this.#value.buffer);
  readonly #sizeWords = new BigUint64Array(this.#size.buffer);

  /** Where records' key and value are copied: views of a shared slab, or their own buffers. */
  readonly #slab: ByteSlab | undefined;

  constructor(lib: NativeLibrary, sharedBytes = false) {
    this.#lib = lib;
    this.#slab = sharedBytes ? new ByteSlab() : undefined;
  }

  err(message: Pointer): number {
    return this.#lib.readI32(message, fErr);
  }

  partition(message: Pointer): number {
    return this.#lib.readI32(message, fPartition);
  }

  offset(message: Pointer): number {
    return Number(this.#lib.readI64(message, fOffset));
  }

  opaque(message: Pointer): number {
    return Number(this.#lib.readI64(message, fPrivate));
  }

  #topicAt(address: Address | null): string {
    if (address === null) return "";
    // addressAt gives one address the same type every time, so it is a stable key.
    let name = this.#topics.get(address);
    if (name === undefined) {
      name = readString(this.#lib, this.#lib.call.rd_kafka_topic_name(this.#lib.pointer(address)));
      this.#topics.set(address, name);
    }
    return name;
  }

  /**
   * The record a consumed message carries, read from one copy of its struct
   * (key and value copied out), or null for a message that carries an error.
   */
  record(message: Pointer): IncomingMessage | null {
    const struct = this.#struct;
    this.#lib.copyInto(message, struct.bytes);
    if (struct.err !== errorCode.noError) return null;
    return {
      topic: this.#topicAt(struct.topic),
      partition: struct.partition,
      offset: struct.offset,
      key: this.#copy(this.#lib.pointerIn(struct.words, keyWord), struct.keyLength),
      value: this.#copy(this.#lib.pointerIn(struct.words, payloadWord), struct.length),
      headers: this.headers(message),
      timestamp: this.timestamp(message),
    };
  }

  /** Gives a record's key and value back to the slab they were read into (see ByteSlab.release). */
  release(record: IncomingMessage): void {
    const slab = this.#slab;
    if (slab === undefined) return;
    slab.release(record.key);
    slab.release(record.value);
  }

  #copy(data: Pointer | null, length: number): Uint8Array | null {
    if (data === null) return null;
    const bytes = this.#slab ? this.#slab.take(length) : new Uint8Array(length);
    this.#lib.copyInto(data, bytes);
    return bytes;
  }

  timestamp(message: Pointer): number {
    return Number(this.#lib.call.rd_kafka_message_timestamp(message, this.#out));
  }

  headers(message: Pointer): KafkaHeader[] {
    const lib = this.#lib;
    if (lib.call.rd_kafka_message_headers(message, this.#out) === errorCode.noEntry) return [];
    const list = lib.pointerIn(this.#outWords, 0);
    if (list === null) return [];
    const headers: KafkaHeader[] = [];
    for (let i = 0;; i++) {
      // The index is a size_t: a bigint keeps Deno's call on its fast path.
      const at = BigInt(i);
      const err = lib.call.rd_kafka_header_get_all(list, at, this.#name, this.#value, this.#size);
      if (err !== errorCode.noError) break;
      const name = readString(lib, lib.pointerIn(this.#nameWords, 0));
      const value = lib.pointerIn(this.#valueWords, 0);
      const size = Number(this.#sizeWords[0]);
      headers.push([name, value === null ? new Uint8Array(0) : lib.readBytes(value, 0, size)]);
    }
    return headers;
  }
}
