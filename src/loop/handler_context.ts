/**
 * What one handler call receives: the consumed message, its attempt, and an
 * AbortSignal made when the handler first reads it. An AbortController and a
 * closure per message were a measurable share of a loop's time, and most
 * handlers never look at the signal.
 *
 * @module
 */
import type { DecodedMessage } from "../model/consumed_message.ts";
import type { Latch } from "./latch.ts";
import type { MessageContext } from "./options.ts";

/** A {@link MessageContext}; its signal is made on first read. */
export class HandlerContext<T, K> {
  readonly key: DecodedMessage<T, K>["key"];
  readonly headers: DecodedMessage<T, K>["headers"];
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly tombstone: boolean;
  readonly value: T | null;
  readonly schemaId: number | undefined;
  readonly attempt: number;
  readonly #aborting: Latch;
  #held?: { readonly signal: AbortSignal; release(): void };

  /** The context of `decoded`'s attempt `attempt`, its signal aborted with `aborting`. */
  constructor(decoded: DecodedMessage<T, K>, attempt: number, aborting: Latch) {
    this.key = decoded.key;
    this.headers = decoded.headers;
    this.topic = decoded.topic;
    this.partition = decoded.partition;
    this.offset = decoded.offset;
    this.timestamp = decoded.timestamp;
    this.tombstone = decoded.tombstone;
    this.value = decoded.value;
    this.schemaId = decoded.schemaId;
    this.attempt = attempt;
    this.#aborting = aborting;
    Object.defineProperty(this, "signal", HandlerContext.#signal);
  }

  /** Aborted when shutdown outlasts `shutdownTimeoutMs`; each call has its own. */
  declare readonly signal: AbortSignal;

  // An own, enumerable accessor, so that `{ ...ctx }` and `Object.keys(ctx)` still carry the
  // signal (made by the copy's read); one shared descriptor for every context.
  static readonly #signal: PropertyDescriptor = {
    enumerable: true,
    get(this: HandlerContext<unknown, unknown>): AbortSignal {
      return (this.#held ??= this.#aborting.signal()).signal;
    },
  };

  /** Stops listening for the abort once the call returned (no listeners pile up on the latch). */
  static release(context: HandlerContext<unknown, unknown>): void {
    context.#held?.release();
  }

  /** As the handler's type names it. */
  asContext(): MessageContext<T, K> {
    return this as unknown as MessageContext<T, K>;
  }
}
