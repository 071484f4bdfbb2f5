/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian
 * integer, then the Avro body. Every Confluent-compatible client reads it.
 */
import { DeserializationError, type MessageOrigin } from "../errors.ts";

/** Bytes before the Avro body. */
export const HEADER_LENGTH = 5;

/** Frames an Avro body with its schema id. */
export function frame(schemaId: number, body: Uint8Array): Uint8Array {
  const framed = new Uint8Array(HEADER_LENGTH + body.length);
  framed[0] = 0;
  new DataView(framed.buffer).setUint32(1, schemaId);
  framed.set(body, HEADER_LENGTH);
  return framed;
}

/** Reads the schema id and the body, or throws a DeserializationError saying what is wrong. */
export function unframe(
  bytes: Uint8Array | null,
  origin?: MessageOrigin,
): { schemaId: number; body: Uint8Array } {
  if (bytes === null) {
    throw new DeserializationError("the message has no value (a tombstone)", origin);
  }
  if (bytes.length < HEADER_LENGTH) {
    throw new DeserializationError(
      `${bytes.length} bytes are too few for the Confluent wire format (at least ${HEADER_LENGTH})`,
      origin,
    );
  }
  if (bytes[0] !== 0) {
    throw new DeserializationError(
      `unknown magic byte 0x${bytes[0].toString(16).padStart(2, "0")}: not Confluent wire format`,
      origin,
    );
  }
  const schemaId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  return { schemaId, body: bytes.subarray(HEADER_LENGTH) };
}
