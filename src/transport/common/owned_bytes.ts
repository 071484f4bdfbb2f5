/**
 * Whether bytes own their memory: a view of its whole ArrayBuffer, so that
 * nothing else can see or change them. Consumers promise this for the bytes
 * they hand out (the conformance suite checks it); a pooled Buffer or a view
 * of a shared slab does not.
 *
 * @module
 */

/** True when `bytes` is the whole of its ArrayBuffer. */
export function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
