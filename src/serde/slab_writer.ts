/**
 * Writes framed messages (header then Avro body) in place into shared slabs.
 * The produce path takes them as views: no copy and no ArrayBuffer per
 * message (which cost more than the encoding itself), and a slab is freed once
 * no message of it is alive. Callers of `encode()` get a copy that owns its
 * buffer (no other value's bytes behind it, nothing else kept alive), written
 * in the slab's free space, which stays free.
 */
import type avro from "avsc";
import { Buffer } from "node:buffer";
import { HEADER_LENGTH, writeHeader } from "./wire_format.ts";

const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/**
 * The value framed with its schema id: a view into the current slab, or with
 * `owned` a copy that owns its buffer.
 */
export function writeFramed(
  type: avro.Type,
  schemaId: number,
  value: unknown,
  owned: boolean,
): Uint8Array {
  while (true) {
    if (slab.length - used > HEADER_LENGTH) {
      writeHeader(slab, used, schemaId);
      const end = type.encode(value, slab, used + HEADER_LENGTH);
      if (end >= 0) {
        const framed = new Uint8Array(slab.buffer, slab.byteOffset + used, end - used);
        if (owned) return framed.slice();
        used = end;
        return framed;
      }
      // A negative end is the number of bytes missing: the next slab holds at least the message.
      slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, slab.length - used - end));
    } else {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    }
    used = 0;
  }
}
