/**
 * What one handler call receives: the consumed message, its attempt, and the
 * stage's AbortSignal. A class instance with plain fields: an AbortController
 * per message, or a lazily made signal behind a per-object accessor (about a
 * microsecond per object on V8), was a measurable share of a loop's time.
 *
 * @module
 */
import type { DecodedMessage } from "../model/consumed_message.ts";
import type { MessageContext } from "./options.ts";

/** A {@link MessageContext}: plain own fields, so `{ ...ctx }` carries all of them. */
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
  /** Aborted when shutdown outlasts `shutdownTimeoutMs`; shared by the calls of a loop. */
  readonly signal: AbortSignal;

  /** The context of `decoded`'s attempt `attempt`. */
  constructor(decoded: DecodedMessage<T, K>, attempt: number, signal: AbortSignal) {
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
    this.signal = signal;
  }

  /** As the handler's type names it. */
  asContext(): MessageContext<T, K> {
    return this as unknown as MessageContext<T, K>;
  }
}
