/**
 * Fills a fresh topic with `--messages` records for the consume and memory
 * scenarios, the cheap way: the pool encoded once by this library, then sent
 * as bytes by the raw client. Node only. Prints `{"topic": ...}`.
 */
import { Buffer } from "node:buffer";
import { close } from "../mod.ts";
import { benchConnection, freshTopic, messageCount, report } from "./common.ts";
import { orderModel, orders, poolSize } from "./record.ts";
import { rawProducer } from "./raw_client.ts";

const topic = await freshTopic("bench-consume");
benchConnection();
const model = orderModel(topic);
const encoded = await Promise.all(orders.map(async (o) => Buffer.from(await model.encode(o))));
const keys = orders.map((o) => Buffer.from(o.order_id));
const producer = await rawProducer();
for (let i = 0; i < messageCount; i++) {
  await producer.produce(topic, keys[i % poolSize], encoded[i % poolSize]);
}
await producer.delivered(messageCount);
await producer.close();
await close();
report({ scenario: "prepare", topic, messages: messageCount });
