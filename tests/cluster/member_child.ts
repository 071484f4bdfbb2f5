/**
 * A ConsumerLoop group member in its own process, for the member-kill test:
 * cooperative-sticky, and each handled message appended to a file as
 * `partition:offset` (the parent kills it with SIGKILL mid-rebalance).
 * Usage: member_child.ts <topic> <group> <outfile>
 */
import { appendFileSync } from "node:fs";
import process from "node:process";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { type Item, jsonModel, quiet } from "../loop/loop_support.ts";
import { clusterTransport } from "./cluster_support.ts";
import { memberSettings } from "./member_settings.ts";

const [topic, group, outfile] = process.argv.slice(-3);
const transport = await clusterTransport();
const loop = new ConsumerLoop<Item>({
  model: jsonModel(transport, topic, group),
  handler: (_item, ctx) => appendFileSync(outfile, `${ctx.partition}:${ctx.offset}\n`),
  settings: memberSettings,
  logger: quiet,
});
await loop.run();
await transport.close();
