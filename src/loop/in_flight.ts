/**
 * The messages a stage handed to handlers and not yet finished: a count,
 * and a wait for the next one to finish. The runner waits here when it is
 * full, instead of racing every task in flight (a race over a thousand
 * promises per finished message was the loop's largest cost).
 *
 * @module
 */
import { within } from "./latch.ts";

/** Counts messages in flight and wakes the runner as they finish. */
export class InFlight {
  #count = 0;
  #next?: Promise<void>;
  #wake?: () => void;

  /** Messages in flight. */
  get count(): number {
    return this.#count;
  }

  /** One more message is in flight. */
  started(): void {
    this.#count++;
  }

  /** One finished: wakes whoever waits. */
  finished(): void {
    this.#count--;
    const wake = this.#wake;
    this.#next = this.#wake = undefined;
    wake?.();
  }

  /** Resolves when the next message finishes; at once when none is in flight. */
  next(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return this.#next ??= new Promise((resolve) => this.#wake = resolve);
  }

  /** True when every message finished within `ms`. */
  async settled(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (this.#count > 0) {
      const left = until - Date.now();
      if (left <= 0 || !(await within(this.next(), left))) return this.#count === 0;
    }
    return true;
  }
}
