/**
 * A consumer's rebalance listeners, and the one behaviour of every transport
 * when one of them throws:
 *
 * - the rebalance goes on: the other listeners are still called and the
 *   assignment is still applied, so the group stays consistent;
 * - the failure becomes a `TransportError` ("a rebalance listener threw on
 *   assign of orders[0]: ..."), with the listener's error as its `cause`;
 * - it is reported to the transport's `onError`, and the consumer's next
 *   `poll()` rejects with it, once, before returning any further records
 *   (records a poll had already read are returned first: nothing read is
 *   dropped). The consumer stays usable; a listener that throws during
 *   `close()` is only reported to `onError`, as there is no next poll.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type { RebalanceEvent } from "../types.ts";

/** A function told of every assignment change. */
export type RebalanceListener = (event: RebalanceEvent) => void;

const describe = (event: RebalanceEvent) =>
  `${event.type} of ${event.partitions.map((tp) => `${tp.topic}[${tp.partition}]`).join(", ")}`;

/** The listeners of one consumer; see the module's documentation for a throwing one. */
export class RebalanceListeners {
  readonly #listeners = new Set<RebalanceListener>();
  readonly #onError?: (error: TransportError) => void;
  #failure: TransportError | undefined;

  /** `onError` hears every listener failure (the transport's `onError`). */
  constructor(onError?: (error: TransportError) => void) {
    this.#onError = onError;
  }

  /** Adds a listener; returns its removal. */
  add(listener: RebalanceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }

  /** Calls every listener with `event`; never throws (see the module's documentation). */
  emit(event: RebalanceEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (cause) {
        const error = new TransportError(
          `a rebalance listener threw on ${describe(event)}: ${
            cause instanceof Error ? cause.message : String(cause)
          }`,
          { retriable: false, cause },
        );
        this.#failure ??= error;
        try {
          this.#onError?.(error);
        } catch {
          // the hook's own failure must not stop the rebalance either
        }
      }
    }
  }

  /** Whether a listener failure waits to be reported to the consumer's caller. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Throws the waiting listener failure, once; the next call does not throw again. */
  throwFailure(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
  }
}
