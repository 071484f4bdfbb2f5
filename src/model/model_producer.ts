/**
 * The producer client of models: it asks a model for its records (the model
 * validates and encodes) and sends them through its connection's shared
 * transport producer. Data flows one way, model -> records -> transport.
 *
 * @module
 */
import { type Connection, defaultConnection } from "../config/connection.ts";
import { isSuppressed } from "../suppress/scope.ts";
import { suppressedReports } from "../suppress/reports.ts";
import { tracedSend } from "../telemetry/tracing.ts";
import type { DeliveryReport, OutgoingMessage } from "../transport/types.ts";
import type { Model, ProduceOptions } from "./model.ts";
import { headerBytes } from "./records.ts";
import { SendQueue } from "./send_queue.ts";
import { deliveryFailure } from "./delivery_failure.ts";

/**
 * Sends models' values through one connection: awaited (`produce`,
 * `produceMany`, `tombstone`) or fire-and-forget (`send`, then `flush`).
 * Each model encodes its values with its own connection's registry; this
 * producer sends them to its connection's cluster. `Order.produce(value)` is
 * a shortcut to the producer of the model's connection.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { Connection, defineModel, ModelProducer } from "@flowodm/flowodm";
 * const connection = new Connection({ bootstrapServers: "memory://docs" });
 * const Order = defineModel("Order", v.object({ id: v.string(), qty: v.optional(v.number(), 1) }), {
 *   topic: "orders",
 *   keyField: "id",
 *   connection,
 * });
 * await Order.ensureTopic();
 * const producer = new ModelProducer(connection);
 * const report = await producer.produce(Order, { id: "o-1" }); // qty defaults to 1
 * producer.send(Order, { id: "o-2", qty: 3 });
 * await producer.flush();
 * console.log(report.partition, report.offset);
 * await connection.close();
 * ```
 */
export class ModelProducer {
  readonly #connection: () => Connection;
  readonly #queues = new WeakMap<Model<unknown, unknown, unknown>, SendQueue>();
  readonly #inFlight = new Set<Promise<void>>();

  /** A producer over `connection` (the default connection, resolved on use, when absent). */
  constructor(connection?: Connection) {
    this.#connection = connection ? () => connection : defaultConnection;
  }

  /** Sends one value; resolves where it landed. An invalid value throws and sends nothing. */
  async produce<T, K, I>(
    model: Model<T, K, I>,
    value: I,
    options?: ProduceOptions<K>,
  ): Promise<DeliveryReport> {
    const [report] = await this.produceMany(model, [value], options);
    return report;
  }

  /**
   * Validates and encodes every value first (so an invalid one sends
   * nothing), then sends them as one batch; resolves the reports in input
   * order, or rejects with a TransportError naming how many failed.
   */
  async produceMany<T, K, I>(
    model: Model<T, K, I>,
    values: readonly I[],
    options?: ProduceOptions<K>,
  ): Promise<DeliveryReport[]> {
    const records = await model.encodeRecords(values, options);
    const topic = model.settings.topic;
    if (isSuppressed(topic)) {
      return suppressedReports(topic, values.length, options?.partition, "produced");
    }
    return this.sendRecords(model.name, records);
  }

  /**
   * Sends a tombstone: the key with a null value, which marks the key deleted
   * (log compaction drops it); resolves where it landed.
   */
  async tombstone<T, K, I>(
    model: Model<T, K, I>,
    key: K | Uint8Array,
    options: Omit<ProduceOptions<K>, "key"> = {},
  ): Promise<DeliveryReport> {
    const [keyBytes] = key instanceof Uint8Array ? [key] : await model.encodeKeys([key]);
    const topic = model.settings.topic;
    if (isSuppressed(topic)) return suppressedReports(topic, 1, options.partition, "tombstone")[0];
    const [report] = await this.sendRecords(model.name, [{
      topic,
      partition: options.partition,
      key: keyBytes,
      value: null,
      headers: headerBytes(options.headers),
    }]);
    return report;
  }

  /**
   * Sends records as they are; resolves their reports in order, or rejects
   * with a TransportError saying how many of `label`'s messages failed.
   */
  async sendRecords(label: string, records: readonly OutgoingMessage[]): Promise<DeliveryReport[]> {
    const producer = await this.#connection().producer();
    const results = await tracedSend(records, (traced) => producer.send(traced));
    const failed = results.filter((result) => !result.ok);
    if (failed.length > 0) {
      const first = failed[0] as { error: Error };
      throw deliveryFailure(label, failed.length, records.length, first.error);
    }
    return results.map((result) => (result as { report: DeliveryReport }).report);
  }

  /**
   * Sends without waiting: values sent in one turn of the event loop travel
   * as one batch; failures go to the model's `settings.onDeliveryError` (the
   * console otherwise). Await `flush()` to know every one has a result.
   */
  send<T, K, I>(model: Model<T, K, I>, value: I, options?: ProduceOptions<K>): void {
    // Decided where send() is called: the batch is delivered outside the caller's scope.
    const topic = model.settings.topic;
    if (isSuppressed(topic)) return void suppressedReports(topic, 1, options?.partition, "sent");
    const key = model as Model<unknown, unknown, unknown>;
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = new SendQueue(key, (records) => this.#sendAll(records), (batch) => {
        this.#inFlight.add(batch);
        batch.finally(() => this.#inFlight.delete(batch));
      });
      this.#queues.set(key, queue);
    }
    queue.push(value, options as ProduceOptions<unknown> | undefined);
  }

  /** Waits until every `send()` so far has a delivery result. */
  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    await (await this.#connection().producer()).flush();
  }

  async #sendAll(records: readonly OutgoingMessage[]) {
    const producer = await this.#connection().producer();
    return tracedSend(records, (traced) => producer.send(traced));
  }
}

const byConnection = new WeakMap<Connection, ModelProducer>();

/** The producer the models of `connection` share for their `produce()` shortcuts. */
export function producerOf(connection: Connection): ModelProducer {
  let producer = byConnection.get(connection);
  if (!producer) byConnection.set(connection, producer = new ModelProducer(connection));
  return producer;
}
