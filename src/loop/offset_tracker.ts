/**
 * Per-partition watermark of finished work. Offsets arrive in increasing order
 * and may finish in any order; the committable position is the first offset
 * not yet finished, so a commit never covers a message still being handled.
 */
export class OffsetTracker {
  readonly #pending: number[] = [];
  readonly #finished = new Set<number>();
  #next = -1;
  #advanced = false;

  /** Records that `offset` was received and is now being handled. */
  begin(offset: number): void {
    this.#pending.push(offset);
    if (this.#next < 0) this.#next = offset;
  }

  /** Records that `offset` was handled or dead-lettered. */
  finish(offset: number): void {
    this.#finished.add(offset);
    while (this.#pending.length > 0 && this.#finished.has(this.#pending[0])) {
      const done = this.#pending.shift()!;
      this.#finished.delete(done);
      this.#next = done + 1;
      this.#advanced = true;
    }
  }

  /** The offset to commit (next to read), or undefined when nothing finished yet. */
  committable(): number | undefined {
    return this.#advanced ? this.#next : undefined;
  }

  /** How many received offsets are not finished. */
  get inFlight(): number {
    return this.#pending.length;
  }
}
