/**
 * Writes framed messages (header then Avro body) in place into shared slabs.
 * The produce path takes them as views: no copy and no ArrayBuffer per
 * message (which cost more than the encoding itself), and a slab is freed once
 * no message of it is alive. Callers of `encode()` get a copy that owns its
 * buffer (no other value's bytes behind it, nothing else kept alive), written
 * in the slab's free space, which stays free.
 */
import { Buffer } from "node:buffer";
import { HEADER_LENGTH, writeHeader } from "./wire_format.ts";

const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/**
 * Writes an Avro body at `target[start..]` and returns its end, or a negative
 * number when `target` is too small: minus the bytes missing (avsc's
 * `type.encode`, the compiled writer), or any negative number.
 */
export type BodyWrite = (value: unknown, target: Buffer, start: number) => number;

/**
 * The value framed with its schema id: a view into the current slab, or with
 * `owned` a copy that owns its buffer.
 */
export function writeFramed(
  write: BodyWrite,
  schemaId: number,
  value: unknown,
  owned: boolean,
): Uint8Array {
  let fresh = false; // whether the slab was sized for this value and it still did not fit
  while (true) {
    if (slab.length - used > HEADER_LENGTH) {
      writeHeader(slab, used, schemaId);
      const end = write(value, slab, used + HEADER_LENGTH);
      if (end >= 0) {
        const framed = new Uint8Array(slab.buffer, slab.byteOffset + used, end - used);
        if (owned) return framed.slice();
        used = end;
        return framed;
      }
      // A negative end is the number of bytes missing: the next slab holds at least the message.
      // A writer that cannot say how many gets twice the room on every further try.
      const wanted = slab.length - used - end;
      slab = Buffer.allocUnsafeSlow(
        Math.max(SLAB_BYTES, fresh ? Math.max(wanted, slab.length * 2) : wanted),
      );
      fresh = true;
    } else {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    }
    used = 0;
  }
}
