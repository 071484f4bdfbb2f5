/**
 * Per-partition watermark of finished work. Offsets arrive in increasing order
 * and may finish in any order; the committable position is the first offset
 * not yet finished, so a commit never covers a message still being handled.
 */
export class OffsetTracker {
  // Received offsets in order from #head on, and whether each finished: no set of numbers to
  // grow and rehash, and the usual in-order finish is found at the head.
  #offsets: number[] = [];
  #done: boolean[] = [];
  #head = 0;
  #next = -1;
  #advanced = false;

  /** Records that `offset` was received and is now being handled. */
  begin(offset: number): void {
    this.#offsets.push(offset);
    this.#done.push(false);
    if (this.#next < 0) this.#next = offset;
  }

  /** Records that `offset` was handled or dead-lettered. */
  finish(offset: number): void {
    const at = this.#indexOf(offset);
    if (at < 0) return;
    this.#done[at] = true;
    const offsets = this.#offsets;
    while (this.#head < offsets.length && this.#done[this.#head]) {
      this.#next = offsets[this.#head++] + 1;
      this.#advanced = true;
    }
    if (this.#head >= 1024 && this.#head * 2 >= offsets.length) {
      this.#offsets = offsets.slice(this.#head);
      this.#done = this.#done.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The offset to commit (next to read), or undefined when nothing finished yet. */
  committable(): number | undefined {
    return this.#advanced ? this.#next : undefined;
  }

  /** How many received offsets are not finished. */
  get inFlight(): number {
    let count = 0;
    for (let i = this.#head; i < this.#done.length; i++) if (!this.#done[i]) count++;
    return count;
  }

  // Offsets arrive in increasing order, so a binary search finds any other.
  #indexOf(offset: number): number {
    const offsets = this.#offsets;
    if (offsets[this.#head] === offset) return this.#head;
    let low = this.#head;
    let high = offsets.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = offsets[middle];
      if (found === offset) return middle;
      if (found < offset) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
