/**
 * Room for the bytes of consumed records when the caller does not need each
 * record to own its memory (`ConsumerOptions.sharedBytes`): small records
 * are copied into views of a shared 64 KiB buffer instead of one buffer
 * each. On Deno every `new Uint8Array` past 64 bytes is a malloc of its own,
 * freed only when V8 collects it. A slab is never written twice, so a view
 * stays its record's bytes for as long as anyone holds it; only
 * `view.buffer` is wider than the record.
 *
 * @module
 */

/** Size of one slab; records past a sixteenth of it get a buffer of their own. */
export const slabSize = 64 * 1024;
const largest = slabSize / 16;

/** Hands out fresh, non-overlapping byte views, a slab at a time. */
export class ByteSlab {
  #slab = new Uint8Array(0);
  #used = 0;

  /** A new view of `length` zeroed bytes that no other call returns. */
  take(length: number): Uint8Array {
    if (length > largest) return new Uint8Array(length);
    if (this.#used + length > this.#slab.length) {
      this.#slab = new Uint8Array(slabSize);
      this.#used = 0;
    }
    const view = this.#slab.subarray(this.#used, this.#used + length);
    this.#used += length;
    return view;
  }
}
