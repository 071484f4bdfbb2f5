/**
 * A one-way switch (stopping, aborting) that many waits listen to. Waits
 * register here rather than on an AbortSignal, so a thousand messages in
 * backoff add no listeners to one signal (and trigger no leak warning).
 *
 * @module
 */
import { setMaxListeners } from "node:events";

/** A switch that turns on once; its waits end when it does. */
export class Latch {
  readonly #callbacks = new Set<() => void>();
  #on = false;

  /** Whether it was turned on. */
  get on(): boolean {
    return this.#on;
  }

  /** Turns it on, ending every wait. */
  turnOn(): void {
    if (this.#on) return;
    this.#on = true;
    for (const callback of [...this.#callbacks]) callback();
    this.#callbacks.clear();
  }

  /** Runs `callback` when it turns on (at once if it is); returns the unregistering function. */
  whenOn(callback: () => void): () => void {
    if (this.#on) {
      callback();
      return () => {};
    }
    this.#callbacks.add(callback);
    return () => this.#callbacks.delete(callback);
  }

  /** Resolves true after `ms`, or false as soon as it is on. */
  sleep(ms: number): Promise<boolean> {
    if (this.#on) return Promise.resolve(false);
    return new Promise((resolve) => {
      const off = this.whenOn(() => {
        clearTimeout(timer);
        resolve(false);
      });
      const timer = setTimeout(() => {
        off();
        resolve(true);
      }, ms);
    });
  }

  #shared?: AbortSignal;

  /** One AbortSignal for every caller, made on first use, aborted when it turns on. */
  sharedSignal(): AbortSignal {
    if (this.#shared) return this.#shared;
    const controller = new AbortController();
    // Concurrent calls each add a listener (fetch does): not a leak, so no warning from Node.
    setMaxListeners(0, controller.signal);
    this.whenOn(() => controller.abort());
    return this.#shared = controller.signal;
  }

  /** A fresh AbortSignal aborted when it turns on; call `release` when done with it. */
  signal(): { readonly signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    const release = this.whenOn(() => controller.abort());
    return { signal: controller.signal, release };
  }
}

/** True when `promise` settled within `ms`. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
