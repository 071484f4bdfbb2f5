/**
 * Fire-and-forget sending of one model's values. Values sent in one turn of
 * the event loop travel together, so a loop of sends costs one transport call
 * per 5,000 values, not one each. Each value still fails alone: an invalid
 * one is reported and the others go out.
 */
import type { DeliveryResult, OutgoingMessage } from "../transport/types.ts";
import type { Model, ProduceOptions } from "./model.ts";
import { deliveryFailure } from "./delivery_failure.ts";

/** Values encoded and handed over at a time. */
const sendSlice = 5_000;

type Entry = { readonly value: unknown; readonly options?: ProduceOptions<unknown> };

/** The queue of one model's `send()` calls on one producer. */
export class SendQueue {
  readonly #model: Model<unknown, unknown, unknown>;
  readonly #send: (records: readonly OutgoingMessage[]) => Promise<DeliveryResult[]>;
  readonly #track: (batch: Promise<void>) => void;
  #queued: Entry[] = [];

  /** `send` delivers records; `track` is told of each batch until it has its results. */
  constructor(
    model: Model<unknown, unknown, unknown>,
    send: (records: readonly OutgoingMessage[]) => Promise<DeliveryResult[]>,
    track: (batch: Promise<void>) => void,
  ) {
    this.#model = model;
    this.#send = send;
    this.#track = track;
  }

  /** Queues a value; the first of a turn schedules the batch. */
  push(value: unknown, options?: ProduceOptions<unknown>): void {
    this.#queued.push({ value, options });
    if (this.#queued.length > 1) return;
    this.#track(
      Promise.resolve().then(() => {
        const batch = this.#queued;
        this.#queued = [];
        return this.#deliver(batch);
      }),
    );
  }

  // A throwing error hook must not stop the reports of the rest of the batch.
  #failed(error: unknown, value: unknown): void {
    const model = this.#model;
    try {
      if (model.settings.onDeliveryError) model.settings.onDeliveryError(error, value);
      else console.error(`${model.name}: a sent message was not delivered:`, error);
    } catch (hookError) {
      console.error(`${model.name}: the delivery error hook threw:`, hookError);
    }
  }

  /**
   * Encodes and hands over a turn's values a slice at a time, so that
   * librdkafka sends the first slices while the next ones are encoded, and
   * only one slice of encoded bytes waits at a time. Slices keep their order:
   * each goes to `send` before the next is encoded, and producers hand
   * messages over in call order.
   */
  async #deliver(batch: Entry[]): Promise<void> {
    const delivered: Promise<void>[] = [];
    for (let start = 0; start < batch.length; start += sendSlice) {
      const { reported } = await this.#deliverSlice(batch.slice(start, start + sendSlice));
      delivered.push(reported);
    }
    await Promise.all(delivered);
  }

  /** Encodes `slice` and hands it over; `reported` settles once its failures were reported. */
  async #deliverSlice(slice: Entry[]): Promise<{ reported: Promise<void> }> {
    const model = this.#model;
    let records: (OutgoingMessage | undefined)[];
    try {
      records = await model.encodeRecords(
        slice.map((entry) => entry.value),
        (i) => slice[i].options,
      );
    } catch {
      // Some value is invalid: encode them one by one so that only the invalid ones fail.
      records = await Promise.all(
        slice.map((entry) =>
          model.encodeRecords([entry.value], entry.options).then(
            ([record]) => record,
            (error) => void this.#failed(error, entry.value),
          )
        ),
      );
    }
    const sendable = records.flatMap((record, i) => (record ? [{ record, i }] : []));
    if (sendable.length === 0) return { reported: Promise.resolve() };
    const reported = this.#send(sendable.map((entry) => entry.record)).then(
      (results) =>
        results.forEach((result, j) => {
          if (!result.ok) {
            this.#failed(
              deliveryFailure(model.name, 1, 1, result.error),
              slice[sendable[j].i].value,
            );
          }
        }),
      (error) => {
        for (const { i } of sendable) this.#failed(error, slice[i].value);
      },
    );
    return { reported };
  }
}
