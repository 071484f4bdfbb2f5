/**
 * Runs tasks with at most `limit` at a time, while tasks sharing an ordering
 * key run one after another in submission order. A task waits for its key's
 * predecessor before taking a slot, so waiting never occupies concurrency.
 */
export class KeyScheduler {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #tails = new Map<string, Promise<void>>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`limit must be >= 1, got ${limit}`);
    }
    this.#limit = limit;
  }

  /** Runs `task` after earlier tasks of `key` (null: no ordering) and when a slot is free. */
  submit(key: string | null, task: () => Promise<void>): Promise<void> {
    // One slot runs tasks in submission order: every key is already in order.
    if (this.#limit === 1) return this.#inTurn(task);
    const previous = key === null ? undefined : this.#tails.get(key);
    const run = (async () => {
      if (previous) await previous;
      await this.#acquire();
      try {
        await task();
      } finally {
        this.#release();
      }
    })();
    if (key !== null) {
      const tail = run.catch(() => {});
      this.#tails.set(key, tail);
      tail.then(() => {
        if (this.#tails.get(key) === tail) this.#tails.delete(key);
      });
    }
    return run;
  }

  #last: Promise<void> = Promise.resolve();

  // A chain instead of a queue of waiters: one promise per task, and no key bookkeeping.
  #inTurn(task: () => Promise<void>): Promise<void> {
    const run = this.#last.then(task);
    this.#last = run.catch(() => {});
    return run;
  }

  #acquire(): Promise<void> {
    if (this.#running < this.#limit) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.#waiting.push(() => {
        this.#running++;
        resolve();
      })
    );
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
