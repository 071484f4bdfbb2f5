/**
 * The clients a transport created and has not closed yet, so that closing
 * the transport closes each of them exactly once, whichever transport it is.
 *
 * @module
 */

/** Anything a transport creates and must close. */
export interface Closable {
  close(): Promise<void>;
}

/** Tracks a transport's open clients. */
export class ClientSet {
  readonly #open = new Set<() => Promise<void>>();

  /**
   * Tracks `client` until it is closed, by its own `close()` or the set's.
   * Its `close()` becomes idempotent: later calls share the first one's outcome.
   * A close still under way stays tracked, so `closeAll` waits for it: a
   * transport unloads librdkafka after `closeAll`, and a client destroyed
   * meanwhile (a producer closing itself after a fatal error) would still be
   * running its code.
   */
  track<T extends Closable>(client: T): T {
    const close = client.close.bind(client);
    let closing: Promise<void> | undefined;
    const once = (): Promise<void> => {
      closing ??= (async () => {
        try {
          await close();
        } finally {
          this.#open.delete(once);
        }
      })();
      return closing;
    };
    this.#open.add(once);
    return Object.assign(client, { close: once });
  }

  /** How many tracked clients are open or closing. */
  get size(): number {
    return this.#open.size;
  }

  /**
   * Closes every open client, all of them even when one fails; then rejects
   * with the first failure, if any.
   */
  async closeAll(): Promise<void> {
    const outcomes = await Promise.allSettled([...this.#open].map((close) => close()));
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
