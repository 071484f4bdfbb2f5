/**
 * The delivery outcomes of one `send()` call on a producer. Reports
 * arrive in any order, one per message; each is kept as numbers in typed
 * arrays (no object per message while the batch is in flight, so the young
 * generation's collections copy nothing per message), and the results are
 * made once, when the last one arrives.
 *
 * @module
 */
import type { DeliveryResult, OutgoingMessage } from "../types.ts";

/** One send() call's messages, numbered by opaques `firstOpaque..firstOpaque + length - 1`. */
export class DeliveryBatch {
  readonly messages: readonly OutgoingMessage[];
  readonly firstOpaque: number;
  readonly #partitions: Int32Array;
  readonly #offsets: Float64Array;
  readonly #timestamps: Float64Array;
  /** Failures by index; absent while every message so far was delivered. */
  #errors: Map<number, Error> | undefined;
  #remaining: number;
  readonly #done: (results: DeliveryResult[]) => void;

  constructor(
    messages: readonly OutgoingMessage[],
    firstOpaque: number,
    done: (results: DeliveryResult[]) => void,
  ) {
    this.messages = messages;
    this.firstOpaque = firstOpaque;
    this.#partitions = new Int32Array(messages.length);
    this.#offsets = new Float64Array(messages.length);
    this.#timestamps = new Float64Array(messages.length);
    this.#remaining = messages.length;
    this.#done = done;
  }

  /** Whether `opaque` numbers one of this batch's messages. */
  holds(opaque: number): boolean {
    return opaque >= this.firstOpaque && opaque < this.firstOpaque + this.messages.length;
  }

  /** Whether every message has its outcome (the results were handed over). */
  get settled(): boolean {
    return this.#remaining === 0;
  }

  /** Records a delivered message; true when it was the batch's last outcome. */
  delivered(opaque: number, partition: number, offset: number, timestamp: number): boolean {
    const index = opaque - this.firstOpaque;
    this.#partitions[index] = partition;
    this.#offsets[index] = offset;
    this.#timestamps[index] = timestamp;
    return this.#count();
  }

  /** Records a failed message; true when it was the batch's last outcome. */
  failed(opaque: number, error: Error): boolean {
    (this.#errors ??= new Map()).set(opaque - this.firstOpaque, error);
    return this.#count();
  }

  #count(): boolean {
    if (--this.#remaining > 0) return false;
    this.#done(this.#results());
    return true;
  }

  #results(): DeliveryResult[] {
    const results = new Array<DeliveryResult>(this.messages.length);
    for (let i = 0; i < results.length; i++) {
      const message = this.messages[i];
      const error = this.#errors?.get(i);
      results[i] = error ? { ok: false, error, message } : {
        ok: true,
        report: {
          topic: message.topic,
          partition: this.#partitions[i],
          offset: this.#offsets[i],
          timestamp: this.#timestamps[i],
        },
      };
    }
    return results;
  }
}
