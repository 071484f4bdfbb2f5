/**
 * The messages a stage handed to handlers and not yet finished: a count,
 * and waits for it to fall to a level. The runner waits here when it is
 * full and is woken once there is room for a poll, instead of racing every
 * task in flight, or waking (and arming a timer) for every finished message.
 *
 * @module
 */
import { within } from "./latch.ts";

interface Waiter {
  readonly level: number;
  readonly wake: () => void;
}

/** Counts messages in flight and wakes waiters when the count falls to their level. */
export class InFlight {
  #count = 0;
  #waiters: Waiter[] = [];

  /** Messages in flight. */
  get count(): number {
    return this.#count;
  }

  /** One more message is in flight. */
  started(): void {
    this.#count++;
  }

  /** One finished: wakes those waiting for this count or more. */
  finished(): void {
    const count = --this.#count;
    if (this.#waiters.length === 0) return;
    const woken = this.#waiters.filter((waiter) => count <= waiter.level);
    if (woken.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => count > waiter.level);
    for (const waiter of woken) waiter.wake();
  }

  /** Resolves once at most `level` messages are in flight (at once if so already). */
  atMost(level: number): Promise<void> {
    if (this.#count <= level) return Promise.resolve();
    return new Promise((wake) => this.#waiters.push({ level, wake }));
  }

  /** True when every message finished within `ms`. */
  settled(ms: number): Promise<boolean> {
    return this.#count === 0 ? Promise.resolve(true) : within(this.atMost(0), ms);
  }
}
