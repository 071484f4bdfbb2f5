/**
 * Quickstart: define a model, produce a batch, consume it in a group.
 *
 *   deno task demo        # in-process memory:// broker and mock:// registry, unless
 *                         # KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL name real ones
 *   bun examples/quickstart.ts
 *   node --import tsx examples/quickstart.ts
 */
import * as v from "valibot";
import { close, defineModel, type ModelOutput } from "../mod.ts";
import { connectExample } from "./example_connection.ts";

connectExample();

const Order = defineModel(
  "OrderEvent",
  v.object({
    order_id: v.string(),
    customer: v.string(),
    amount: v.pipe(v.number(), v.minValue(0)),
    status: v.picklist(["NEW", "PAID", "SHIPPED"]),
    placed_at: v.date(),
  }),
  {
    topic: `quickstart-orders-${Date.now()}`,
    consumerGroup: "quickstart",
    keyField: "order_id",
    namespace: "com.example.shop",
  },
);
type Order = ModelOutput<typeof Order>;

await Order.ensureTopic({ partitions: 3 });
console.log(`schema id ${await Order.registerSchema()} under subject ${Order.subject}`);

const orders: Order[] = Array.from({ length: 5 }, (_, i) => ({
  order_id: `o-${i + 1}`,
  customer: ["ada", "bob", "cy"][i % 3],
  amount: 10 + i * 2.5,
  status: "NEW",
  placed_at: new Date(),
}));
for (const report of await Order.produceMany(orders)) {
  console.log(`produced to ${report.topic} partition ${report.partition} offset ${report.offset}`);
}

let seen = 0;
for await (const message of Order.consume({ fromBeginning: true })) {
  if (message.tombstone) continue; // a deleted key (see Order.tombstone): none are written here
  const order = message.value;
  console.log(
    `consumed ${order.order_id} (${order.customer}, ${order.amount}) from partition ${message.partition}`,
  );
  await message.commit();
  if (++seen === orders.length) break;
}
await close();
console.log("done");
