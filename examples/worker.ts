/**
 * A worker: the loops of examples/worker_consumers.ts run in one process with health probes and
 * OpenTelemetry tracing. It produces three orders, waits for /readyz, lets the loops turn the
 * orders into invoices and mail them, prints /livez, /stats and one order's trace, then stops the
 * worker (in production: SIGTERM/SIGINT, or run the same module with
 * `flowodm worker --consumers examples/worker_consumers.ts --health-port 8080`).
 *
 *   deno run -A examples/worker.ts     # memory:// and mock:// unless
 *   bun examples/worker.ts             # KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL
 *   node --import tsx examples/worker.ts  # name a real cluster; HEALTH_PORT (default 8080)
 */
import process from "node:process";
// The ten-line tracing setup (README, "Tracing and metrics"); in production export with OTLP.
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
const spans = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
);

import { close, runWorker } from "../mod.ts";
import { connectExample } from "./example_connection.ts";
import { billing, Invoice, mailed, mailer, Order } from "./worker_consumers.ts";

connectExample();
await Order.ensureTopic({ partitions: 2 });
await Invoice.ensureTopic({ partitions: 2 });
const orders = [
  { order_id: "o-1", amount: 12.5 },
  { order_id: "o-2", amount: 40 },
  { order_id: "o-3", amount: 7.25 },
];
await Promise.all(orders.map((order) => Order.produce(order)));
console.log(`produced ${orders.length} orders to ${Order.settings.topic}`);

const port = Number(process.env.HEALTH_PORT ?? 8080);
const stop = new AbortController();
let listening = () => {};
const started = new Promise<void>((resolve) => listening = resolve);
const worker = runWorker({ billing, mailer }, {
  health: { port },
  onListening: () => listening(),
  signal: stop.signal,
  logger: { info() {}, warn: console.warn, error: console.error },
});
const probe = async (path: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json() };
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const deadline = Date.now() + 60_000;
// The worker's own failure (e.g. its health port taken) ends the wait too: Bun does not exit on
// a rejection nobody awaits while the top-level await is pending.
await Promise.race([started, worker]);
while ((await probe("/readyz")).status !== 200 && Date.now() < deadline) await wait(100);
console.log(`/readyz ${(await probe("/readyz")).status}`);
while (mailed.length < orders.length && Date.now() < deadline) await wait(50);
console.log(`mailed ${mailed.sort().join(", ")}`);
const live = await probe("/livez");
console.log(`/livez ${live.status} ${live.body.status}`);
const { body } = await probe("/stats");
for (const loop of body.loops) {
  console.log(`/stats ${loop.name}: ${loop.state}, ${loop.stats.processed} processed`);
}
stop.abort();
await worker;
console.log("worker stopped");

// One order's trace: produced, billed (which produced the invoice), mailed; each span the
// parent of the next.
const finished = spans.getFinishedSpans();
const parentOf = (span: (typeof finished)[number]) => span.parentSpanContext?.spanId;
const steps: string[] = [];
let step = finished.find((s) =>
  s.attributes["messaging.kafka.message.key"] === "o-1" && !parentOf(s)
);
while (step) {
  steps.push(step.name.replace(/-\d+$/, ""));
  const parent = step.spanContext().spanId;
  step = finished.find((s) => parentOf(s) === parent);
}
console.log(`trace of o-1: ${steps.join(" -> ")}`);
await close();
console.log("done");
