/**
 * A consumers module, as `flowodm worker --consumers examples/worker_consumers.ts` and
 * examples/worker.ts run it: it exports its loops (an instance, and a factory the worker calls
 * again at each restart). Orders become invoices; invoices are "mailed".
 */
import process from "node:process";
import * as v from "valibot";
import {
  AsyncConsumerLoop,
  ConsumerLoop,
  defineModel,
  type LoopLogger,
  type ModelOutput,
} from "../mod.ts";

const run = process.env.EXAMPLE_RUN ?? String(Date.now());
const quiet: LoopLogger = { info() {}, warn: console.warn, error: console.error };

export const Order = defineModel(
  "WorkerOrder",
  v.object({ order_id: v.string(), amount: v.number() }),
  { topic: `worker-orders-${run}`, consumerGroup: `billing-${run}`, keyField: "order_id" },
);
export const Invoice = defineModel(
  "WorkerInvoice",
  v.object({ order_id: v.string(), total_cents: v.pipe(v.number(), v.integer()) }),
  { topic: `worker-invoices-${run}`, consumerGroup: `mailer-${run}`, keyField: "order_id" },
);

/** What the example prints at the end: invoices mailed, in order. */
export const mailed: string[] = [];

export const billing = new ConsumerLoop({
  model: Order,
  fromBeginning: true,
  logger: quiet,
  handler: async (order) => {
    await Invoice.produce({
      order_id: order.order_id,
      total_cents: Math.round(order.amount * 100),
    });
  },
});

export function mailer(): AsyncConsumerLoop<ModelOutput<typeof Invoice>> {
  return new AsyncConsumerLoop({
    model: Invoice,
    fromBeginning: true,
    maxConcurrent: 4,
    logger: quiet,
    handler: (invoice) => void mailed.push(`${invoice.order_id}=${invoice.total_cents}`),
  });
}
