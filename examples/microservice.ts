/**
 * An event-driven microservice: a payment service consumes OrderEvent and emits
 * PaymentRequested. A flaky gateway call is retried; an order it can never pay goes to the
 * dead letter topic; the loop stops gracefully (here once every order is settled, in
 * production on SIGTERM/SIGINT) after committing what it finished.
 *
 *   deno run -A examples/microservice.ts     # memory:// and mock:// unless
 *   bun examples/microservice.ts             # KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL
 *   node --import tsx examples/microservice.ts  # name a real cluster
 */
import * as v from "valibot";
import { close, ConsumerLoop, defineModel, FailureHeader, headerText } from "../mod.ts";
import { connectExample } from "./example_connection.ts";

connectExample();
const run = Date.now();

const orderSchema = v.object({
  order_id: v.string(),
  customer: v.string(),
  amount: v.number(),
  currency: v.string(),
});
const OrderEvent = defineModel("OrderEvent", orderSchema, {
  topic: `orders-${run}`,
  consumerGroup: `payments-${run}`,
  keyField: "order_id",
  namespace: "com.example.shop",
});
const PaymentRequested = defineModel(
  "PaymentRequested",
  v.object({
    order_id: v.string(),
    amount_cents: v.pipe(v.number(), v.integer()),
    currency: v.string(),
    requested_at: v.date(),
  }),
  { topic: `payment-requests-${run}`, keyField: "order_id", namespace: "com.example.shop" },
);

await OrderEvent.ensureTopic({ partitions: 3 });
await PaymentRequested.ensureTopic({ partitions: 3 });
const orders = [
  { order_id: "o-1", customer: "ada", amount: 25, currency: "EUR" },
  { order_id: "o-2", customer: "bob", amount: 12.5, currency: "EUR" },
  { order_id: "o-3", customer: "cy", amount: 99.99, currency: "USD" }, // the gateway times out once
  { order_id: "o-4", customer: "dee", amount: 7, currency: "EUR" },
  { order_id: "o-5", customer: "eve", amount: 40, currency: "XYZ" }, // never payable
  { order_id: "o-6", customer: "fay", amount: 3.2, currency: "USD" },
];
await OrderEvent.produceMany(orders);
console.log(`produced ${orders.length} orders to ${OrderEvent.settings.topic}`);

let settled = 0;
const loop = new ConsumerLoop({
  model: OrderEvent,
  fromBeginning: true,
  maxRetries: 2, // three attempts in all
  retryDelayMs: 50,
  deadLetter: true, // <group>.<topic>.dlt
  handler: async (order, context) => {
    if (order.currency === "XYZ") throw new Error(`unsupported currency ${order.currency}`);
    if (order.order_id === "o-3" && context.attempt === 1) {
      console.log(`gateway timeout for ${order.order_id} (attempt 1), retrying`);
      throw new Error("gateway timeout");
    }
    await PaymentRequested.produce({
      order_id: order.order_id,
      amount_cents: Math.round(order.amount * 100),
      currency: order.currency,
      requested_at: new Date(),
    });
    console.log(
      `payment requested for ${order.order_id}: ${order.amount} ${order.currency} (attempt ${context.attempt})`,
    );
    if (++settled === orders.length) loop.stop();
  },
  onDeadLetter: (raw, error) => {
    console.log(`dead-lettered offset ${raw.offset}: ${(error as Error).message}`);
    if (++settled === orders.length) loop.stop();
  },
});
await loop.run(); // resolves once stopped: in-flight work drained, offsets committed
const { processed, retried, deadLettered } = loop.stats;
console.log(
  `loop stopped: ${processed} processed, ${retried} retried, ${deadLettered} dead-lettered`,
);

const requested: string[] = [];
for await (
  const message of PaymentRequested.consume({ groupId: `audit-${run}`, fromBeginning: true })
) {
  if (message.tombstone) continue;
  requested.push(`${message.value.order_id}=${message.value.amount_cents}`);
  if (requested.length === orders.length - 1) break;
}
console.log(`${PaymentRequested.settings.topic} holds ${requested.sort().join(", ")}`);

// The dead letter topic keeps the original bytes (still an OrderEvent) and says why.
const DeadOrders = defineModel("OrderEvent", orderSchema, {
  ...OrderEvent.settings,
  topic: `${OrderEvent.settings.consumerGroup}.${OrderEvent.settings.topic}.dlt`,
});
for await (const message of DeadOrders.consume({ groupId: `audit-${run}`, fromBeginning: true })) {
  if (message.tombstone) continue;
  const attempts = headerText(message.headers, FailureHeader.attempt);
  const reason = headerText(message.headers, FailureHeader.errorMessage);
  console.log(
    `dead letter topic holds ${message.value.order_id} after ${attempts} attempts: ${reason}`,
  );
  break;
}
await close();
console.log("done");
