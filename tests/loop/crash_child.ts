/**
 * A loop process for the crash and SIGTERM tests: handles the items of a topic
 * with a slow handler and appends each finished id to a file.
 * Usage: crash_child.ts <topic> <group> <outfile>
 */
import { appendFileSync } from "node:fs";
import process from "node:process";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { type Item, jsonModel, loopTransport, quiet } from "./loop_support.ts";

const [topic, group, outfile] = process.argv.slice(-3);
const transport = await loopTransport();
const loop = new AsyncConsumerLoop<Item>({
  model: jsonModel(transport, topic, group),
  handler: async (item) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    appendFileSync(outfile, `${item.id}\n`);
  },
  settings: RealTimeSettings({
    consumer: { "auto.offset.reset": "earliest" },
    commitIntervalMs: 200,
  }),
  maxConcurrent: 5,
  shutdownTimeoutMs: 10_000,
  logger: quiet,
});
await loop.run();
await transport.close();
