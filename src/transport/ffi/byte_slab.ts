/**
 * Room for the bytes of consumed records when the caller does not need each
 * record to own its memory (`ConsumerOptions.sharedBytes`): small records
 * are copied into views of a shared 64 KiB slab instead of one buffer each.
 * On Deno every `new Uint8Array` past 64 bytes is a malloc of its own, freed
 * only when V8 collects it.
 *
 * A slab is written again only once it is full and every view taken from it
 * was released: until then a view stays its record's bytes for as long as
 * anyone holds it, and a caller that never releases never sees a slab
 * reused. Reuse keeps malloc's heap flat under a loop: a fresh slab lived
 * across several polls, so V8 promoted it and freed it only at a full
 * collection, by which time tens of megabytes of full slabs had waited.
 *
 * @module
 */

/** Size of one slab; records past a sixteenth of it get a buffer of their own. */
export const slabSize = 64 * 1024;
const largest = slabSize / 16;
/** Released slabs kept for reuse (2 MiB); past them, released slabs are left to the GC. */
const spareSlabs = 32;

/** One slab and how many of its views are still out. */
interface Lease {
  readonly bytes: Uint8Array;
  out: number;
}

/** Hands out non-overlapping byte views, a slab at a time, and reuses released slabs. */
export class ByteSlab {
  readonly #leases = new WeakMap<ArrayBufferLike, Lease>();
  readonly #spare: Lease[] = [];
  #current: Lease | undefined;
  #used = 0;

  /**
   * A view of `length` bytes that no other unreleased view shares, for the
   * caller to overwrite whole (a reused slab holds earlier records' bytes).
   */
  take(length: number): Uint8Array {
    if (length > largest) return new Uint8Array(length);
    let lease = this.#current;
    if (lease === undefined || this.#used + length > slabSize) lease = this.#next();
    const start = this.#used;
    this.#used += length;
    lease.out++;
    return lease.bytes.subarray(start, this.#used);
  }

  /**
   * Gives back a view `take` returned (null and views of other buffers are
   * ignored). Each view is released at most once, and its bytes are not
   * read after: its slab may be written again.
   */
  release(view: Uint8Array | null): void {
    if (view === null) return;
    const lease = this.#leases.get(view.buffer);
    if (lease === undefined || lease.out === 0) return;
    // Only the slab being filled takes views; any other is full.
    if (--lease.out === 0 && lease !== this.#current) this.#reuse(lease);
  }

  #next(): Lease {
    const full = this.#current;
    if (full !== undefined && full.out === 0) this.#reuse(full);
    const lease = this.#spare.pop() ?? this.#fresh();
    this.#current = lease;
    this.#used = 0;
    return lease;
  }

  #fresh(): Lease {
    const lease: Lease = { bytes: new Uint8Array(slabSize), out: 0 };
    this.#leases.set(lease.bytes.buffer, lease);
    return lease;
  }

  #reuse(lease: Lease): void {
    if (this.#spare.length < spareSlabs) this.#spare.push(lease);
  }
}
