/**
 * Run by deno_builtin.deno.test.ts under `OTEL_DENO=true`: Deno's built-in OpenTelemetry is the
 * provider (no SDK here). Produces one message and handles it in a loop; prints the trace id the
 * message header carried and the one active in the handler.
 * Usage: deno run -A deno_builtin_probe.ts <topic> <group>
 */
import { trace } from "@opentelemetry/api";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { encode, jsonModel, loopTransport, quiet } from "../loop/loop_support.ts";
import { tracedSend } from "../../src/telemetry/tracing.ts";

const [topic, group] = Deno.args;
const transport = await loopTransport();
const admin = await transport.admin();
await admin.ensureTopic({ topic, partitions: 1 });
await admin.close();
const producer = await transport.producer();
await tracedSend(
  [{ topic, key: encode("k"), value: encode(JSON.stringify({ id: 1, key: "k" })) }],
  (messages) => producer.send(messages),
);
await producer.close();
let done = false;
const loop = new ConsumerLoop({
  model: jsonModel(transport, topic, group),
  settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
  handleSignals: false,
  logger: quiet,
  handler: (_item, ctx) => {
    const header = ctx.headers.find(([name]) => name === "traceparent");
    const carried = header ? new TextDecoder().decode(header[1]).split("-")[1] : "none";
    console.log(`carried ${carried}`);
    console.log(`active ${trace.getActiveSpan()?.spanContext().traceId ?? "none"}`);
    done = true;
  },
});
const running = loop.run();
const deadline = Date.now() + 30_000;
while (!done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
loop.stop();
await running;
await transport.close();
