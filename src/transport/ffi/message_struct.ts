/**
 * Parses native structs copied into JS memory: an `rd_kafka_message_t`
 * (x86_64/aarch64 layout) and arrays of pointers. Reading a message's fields
 * from one 72-byte copy costs one native read where reading them one by one
 * cost nine (and a BigInt for each 64-bit field).
 *
 * @module
 */

/** A native address as read from memory: a number when exact, else a bigint; null is NULL. */
export type Address = number | bigint;

/** The size of `rd_kafka_message_t`. */
export const messageStructSize = 72;

// Field offsets in bytes: err@0 (int32), rkt@8, partition@16 (int32),
// payload@24, len@32 (size_t), key@40, key_len@48 (size_t), offset@56 (int64),
// _private@64. Divided by 4 below, for the 32-bit views.
const fErr = 0, fRkt = 8, fPartition = 16, fLen = 32, fKeyLen = 48, fOffset = 56;

/** The index of the payload pointer in {@link MessageStruct.words}. */
export const payloadWord = 24 / 8;
/** The index of the key pointer in {@link MessageStruct.words}. */
export const keyWord = 40 / 8;

const twoTo32 = 4294967296;
/** Above this high word an address no longer fits a double exactly (2^53). */
const exactHighLimit = 0x200000;

/**
 * The address stored little-endian at word `index` (of 32 bits) of `words`;
 * a number below 2^53 (every user-space address on x86_64 and aarch64), a
 * bigint above it (tagged pointers), null for NULL.
 */
export function addressAt(words: Uint32Array, index: number): Address | null {
  const low = words[index], high = words[index + 1];
  if (high < exactHighLimit) {
    const address = low + high * twoTo32;
    return address === 0 ? null : address;
  }
  return (BigInt(high) << 32n) | BigInt(low);
}

/** A signed 64-bit integer stored little-endian at word `index`, as a number. */
function int64At(words: Uint32Array, signed: Int32Array, index: number): number {
  return words[index] + signed[index + 1] * twoTo32;
}

/**
 * One reusable 72-byte buffer holding a copy of an `rd_kafka_message_t`, and
 * its fields read from that copy. Copy the next message into {@link bytes}
 * before reading it again.
 */
export class MessageStruct {
  /** Where the native struct is copied to. */
  readonly bytes: Uint8Array<ArrayBuffer> = new Uint8Array(messageStructSize);
  /** The same bytes as 64-bit words, for the pointers ({@link payloadWord}, {@link keyWord}). */
  readonly words: BigUint64Array<ArrayBuffer> = new BigUint64Array(this.bytes.buffer);
  readonly #words = new Uint32Array(this.bytes.buffer);
  readonly #signed = new Int32Array(this.bytes.buffer);

  /** The message's error code (0 for a record). */
  get err(): number {
    return this.#signed[fErr / 4];
  }

  /** The topic handle (`rd_kafka_topic_t *`). */
  get topic(): Address | null {
    return addressAt(this.#words, fRkt / 4);
  }

  get partition(): number {
    return this.#signed[fPartition / 4];
  }

  get offset(): number {
    return int64At(this.#words, this.#signed, fOffset / 4);
  }

  get length(): number {
    return int64At(this.#words, this.#signed, fLen / 4);
  }

  get keyLength(): number {
    return int64At(this.#words, this.#signed, fKeyLen / 4);
  }
}
