/**
 * Runs tasks with at most `limit` at a time, while tasks sharing an ordering
 * key run one after another in submission order. A task waits for its key's
 * predecessor before taking a slot, so waiting never occupies concurrency.
 * A task that may start at once runs at once, and one that finishes without
 * a promise costs none.
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

  /**
   * Runs `task` after earlier tasks of `key` (null: no ordering) and when a
   * slot is free. Undefined when it ran and finished at once; else a promise
   * of its end, rejected if it failed.
   */
  submit(key: string | null, task: Task): Promise<void> | undefined {
    // One slot runs tasks in submission order: every key is already in order.
    if (this.#limit === 1) return this.#inTurn(task);
    const previous = key === null ? undefined : this.#tails.get(key);
    let run: Promise<void>;
    if (!previous && this.#running < this.#limit) {
      this.#running++;
      const outcome = attempt(task);
      if (outcome === undefined) {
        this.#release();
        return undefined;
      }
      run = outcome.finally(() => this.#release());
    } else {
      run = (async () => {
        if (previous) await previous;
        await this.#acquire();
        try {
          await task();
        } finally {
          this.#release();
        }
      })();
    }
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
  /** Tasks of the one-slot chain not finished yet. */
  #unfinished = 0;

  // A chain instead of a queue of waiters: one promise per waiting task, and no key bookkeeping.
  #inTurn(task: Task): Promise<void> | undefined {
    const run = this.#unfinished === 0 ? attempt(task) : this.#last.then(task);
    if (run === undefined) return undefined;
    this.#unfinished++;
    const finished = () => void this.#unfinished--;
    this.#last = run.then(finished, finished);
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

/** A task: its promise, or nothing when it finished at once. */
export type Task = () => void | Promise<void>;

/** Runs `task` now: undefined when it finished at once, else its (possibly rejected) promise. */
function attempt(task: Task): Promise<void> | undefined {
  let outcome: void | Promise<void>;
  try {
    outcome = task();
  } catch (error) {
    return Promise.reject(error);
  }
  return outcome === undefined ? undefined : Promise.resolve(outcome);
}
