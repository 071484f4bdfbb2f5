/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian
 * integer, then the Avro body. Every Confluent-compatible client reads it.
 * This file is the one place that writes and reads the header.
 */
import { DeserializationError, type MessageOrigin } from "../errors.ts";

/** Bytes before the Avro body. */
export const HEADER_LENGTH = 5;

/** The magic byte of the Confluent wire format. */
const MAGIC = 0;

/** Writes the header (magic byte, big-endian schema id) at `offset` of `target`. */
export function writeHeader(target: Uint8Array, offset: number, schemaId: number): void {
  target[offset] = MAGIC;
  target[offset + 1] = schemaId >>> 24;
  target[offset + 2] = (schemaId >>> 16) & 0xff;
  target[offset + 3] = (schemaId >>> 8) & 0xff;
  target[offset + 4] = schemaId & 0xff;
}

/** Frames an Avro body with its schema id. */
export function frame(schemaId: number, body: Uint8Array): Uint8Array {
  const framed = new Uint8Array(HEADER_LENGTH + body.length);
  writeHeader(framed, 0, schemaId);
  framed.set(body, HEADER_LENGTH);
  return framed;
}

/** Reads the schema id and the body, or throws a DeserializationError saying what is wrong. */
export function unframe(
  bytes: Uint8Array | null,
  origin?: MessageOrigin,
): { schemaId: number; body: Uint8Array } {
  const schemaId = schemaIdOf(bytes, origin);
  return { schemaId, body: (bytes as Uint8Array).subarray(HEADER_LENGTH) };
}

/**
 * The schema id of a framed message (its body starts at HEADER_LENGTH), or
 * a DeserializationError saying what is wrong. Read byte by byte: a DataView
 * per message was a measurable share of decoding.
 */
export function schemaIdOf(bytes: Uint8Array | null, origin?: MessageOrigin): number {
  if (bytes === null) {
    throw new DeserializationError("the message has no value (a tombstone)", origin);
  }
  if (bytes.length < HEADER_LENGTH) {
    throw new DeserializationError(
      `${bytes.length} bytes are too few for the Confluent wire format (at least ${HEADER_LENGTH})`,
      origin,
    );
  }
  if (bytes[0] !== MAGIC) {
    throw new DeserializationError(
      `unknown magic byte 0x${bytes[0].toString(16).padStart(2, "0")}: not Confluent wire format`,
      origin,
    );
  }
  // `>>> 0` keeps ids of 2^31 and above positive, as getUint32 did.
  return ((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]) >>> 0;
}
