/**
 * A consumers module as an app writes one, for the worker's child-process
 * tests: two loops on the topics named by WORKER_TOPIC_A/B, each appending the
 * ids it handled to WORKER_OUT.<name>. With WORKER_CRASH set, loop `b` can
 * never reach its cluster (a lost connection), so the worker gives up on it.
 */
import { appendFileSync } from "node:fs";
import process from "node:process";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { TransportError } from "../../src/errors.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { type Item, jsonModel, loopTransport, quiet } from "../loop/loop_support.ts";

const env = process.env;
const transport = await loopTransport();
const settings = RealTimeSettings({
  consumer: { "auto.offset.reset": "earliest" },
  commitIntervalMs: 200,
});

export const a = new ConsumerLoop<Item>({
  model: jsonModel(transport, env.WORKER_TOPIC_A!, env.WORKER_GROUP_A!),
  handler: (item) => appendFileSync(`${env.WORKER_OUT}.a`, `${item.id}\n`),
  settings,
  logger: quiet,
});

/** A factory: the worker calls it at start and at every restart. */
export function b(): AsyncConsumerLoop<Item> {
  const model = jsonModel(transport, env.WORKER_TOPIC_B!, env.WORKER_GROUP_B!);
  return new AsyncConsumerLoop<Item>({
    model: env.WORKER_CRASH
      ? {
        ...model,
        connection: {
          transport: () => Promise.reject(new TransportError("connection to the cluster lost")),
        },
      }
      : model,
    handler: (item) => appendFileSync(`${env.WORKER_OUT}.b`, `${item.id}\n`),
    settings,
    maxConcurrent: 4,
    logger: quiet,
  });
}

/** Not a loop: left alone by the worker. */
export const topics = [env.WORKER_TOPIC_A, env.WORKER_TOPIC_B];
