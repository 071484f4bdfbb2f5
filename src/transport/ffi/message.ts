/**
 * Reads `rd_kafka_message_t` (x86_64/aarch64 layout) into JS values.
 * Messages taken from events belong to the event and are freed with it.
 *
 * @module
 */
import type { KafkaHeader } from "../types.ts";
import { errorCode, readString } from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";

// err@0 (int32), rkt@8, partition@16 (int32), payload@24, len@32, key@40,
// key_len@48, offset@56 (int64), _private@64 (the producer's msg_opaque).
const fErr = 0, fRkt = 8, fPartition = 16, fPayload = 24, fLen = 32, fKey = 40, fKeyLen = 48;
const fOffset = 56, fPrivate = 64;

/** Reads fields of native messages, caching topic names by handle. */
export class MessageReader {
  readonly #lib: NativeLibrary;
  readonly #topics = new Map<bigint, string>();
  readonly #out = new Uint8Array(new ArrayBuffer(8));
  readonly #name = new Uint8Array(new ArrayBuffer(8));
  readonly #value = new Uint8Array(new ArrayBuffer(8));
  readonly #size = new Uint8Array(new ArrayBuffer(8));
  readonly #outView = new DataView(this.#out.buffer);

  constructor(lib: NativeLibrary) {
    this.#lib = lib;
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

  topic(message: Pointer): string {
    const rkt = this.#lib.readPointer(message, fRkt);
    if (rkt === null) return "";
    const key = this.#lib.address(rkt);
    let name = this.#topics.get(key);
    if (name === undefined) {
      name = readString(this.#lib, this.#lib.call.rd_kafka_topic_name(rkt));
      this.#topics.set(key, name);
    }
    return name;
  }

  timestamp(message: Pointer): number {
    return Number(this.#lib.call.rd_kafka_message_timestamp(message, this.#out));
  }

  /** The payload, or on an errored message the error string. */
  value(message: Pointer): Uint8Array | null {
    return this.#bytes(message, fPayload, fLen);
  }

  key(message: Pointer): Uint8Array | null {
    return this.#bytes(message, fKey, fKeyLen);
  }

  #bytes(message: Pointer, pointerField: number, lengthField: number): Uint8Array | null {
    const data = this.#lib.readPointer(message, pointerField);
    if (data === null) return null;
    const length = Number(this.#lib.readI64(message, lengthField));
    return this.#lib.readBytes(data, 0, length);
  }

  headers(message: Pointer): KafkaHeader[] {
    const lib = this.#lib;
    if (lib.call.rd_kafka_message_headers(message, this.#out) === errorCode.noEntry) return [];
    const list = lib.pointer(this.#outView.getBigUint64(0, true));
    if (list === null) return [];
    const headers: KafkaHeader[] = [];
    const nameView = new DataView(this.#name.buffer);
    const valueView = new DataView(this.#value.buffer);
    const sizeView = new DataView(this.#size.buffer);
    for (let i = 0;; i++) {
      const err = lib.call.rd_kafka_header_get_all(list, i, this.#name, this.#value, this.#size);
      if (err !== errorCode.noError) break;
      const name = readString(lib, lib.pointer(nameView.getBigUint64(0, true)));
      const value = lib.pointer(valueView.getBigUint64(0, true));
      const size = Number(sizeView.getBigUint64(0, true));
      headers.push([name, value === null ? new Uint8Array(0) : lib.readBytes(value, 0, size)]);
    }
    return headers;
  }
}
