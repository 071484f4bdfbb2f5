/**
 * Text keys of a batch as UTF-8 views into one buffer. Keys are short and
 * mostly ASCII (ids, codes): a JavaScript copy of their units beats a
 * `TextEncoder` call and a fresh buffer per key (9% of a Deno produceMany).
 * Any other key is encoded by `TextEncoder`, so the bytes are always the
 * ones `TextEncoder.encode` gives.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Each key's UTF-8 bytes (null stays null); ASCII keys share one buffer. */
export function textKeyBytes(keys: readonly (string | null)[]): (Uint8Array | null)[] {
  let units = 0;
  for (const key of keys) if (key !== null) units += key.length;
  const slab = new Uint8Array(units);
  let at = 0;
  return keys.map((key) => {
    if (key === null) return null;
    const start = at;
    for (let i = 0; i < key.length; i++) {
      const unit = key.charCodeAt(i);
      if (unit >= 0x80) {
        at = start; // the units written so far are overwritten by the next key
        return encoder.encode(key);
      }
      slab[at++] = unit;
    }
    return slab.subarray(start, at);
  });
}
