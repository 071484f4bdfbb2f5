/**
 * OpenTelemetry with the SDK's in-memory exporters, on the real broker: one
 * trace from produce to the handler, across a retry topic and into the dead
 * letter topic; consume()'s spans; the metrics.
 */
import assert from "node:assert/strict";
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { readAll, until } from "../loop/loop_support.ts";
import { otelApi } from "../../src/telemetry/api.ts";
import { tracedSend, traceMessage } from "../../src/telemetry/tracing.ts";

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(spans)],
});
const contextManager = new AsyncLocalStorageContextManager().enable();
const propagator = new W3CTraceContextPropagator();
trace.setGlobalTracerProvider(tracerProvider);
context.setGlobalContextManager(contextManager);
propagation.setGlobalPropagator(propagator);
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

const runtimes = ["node", "deno", "bun"] as const;
const Job = v.object({ id: v.string(), fail: v.boolean() });
const quiet = { info() {}, warn() {}, error() {} };

function jobs() {
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const Jobs = defineModel("Job", Job, {
    topic: uniqueName("otel-jobs"),
    consumerGroup: uniqueName("otel-g"),
    keyField: "id",
    connection,
  });
  return { Jobs, connection };
}

/** Sums a metric's data points whose attributes include `where` (-1 when there is none). */
async function metricSum(name: string, where: Record<string, unknown>): Promise<number> {
  await reader.forceFlush();
  let sum = 0;
  let points = 0;
  for (const resource of metricExporter.getMetrics()) {
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) {
          const attributes = point.attributes as Record<string, unknown>;
          if (!Object.entries(where).every(([k, value]) => attributes[k] === value)) continue;
          points++;
          const value = point.value as number | { count: number };
          sum += typeof value === "number" ? value : value.count;
        }
      }
    }
  }
  metricExporter.reset();
  return points === 0 ? -1 : sum;
}

const kindProducer = 3;
const kindConsumer = 4;
const statusError = 2;

function parentOf(span: ReadableSpan): string | undefined {
  const s = span as unknown as {
    parentSpanContext?: { spanId: string };
    parentSpanId?: string;
  };
  return s.parentSpanContext?.spanId ?? s.parentSpanId;
}

if (runsOn(runtimes)) {
  test("one trace from produce to the handler, across a retry topic into the dead letter topic", {
    timeout: 90_000,
  }, async () => {
    const { Jobs, connection } = jobs();
    try {
      await Jobs.ensureTopic({ partitions: 1 });
      const topic = Jobs.settings.topic;
      const group = Jobs.settings.consumerGroup!;
      const seenTraces: string[] = [];
      const loop = new ConsumerLoop({
        model: Jobs,
        settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
        retryTopics: { attempts: 1, delaysMs: [200] },
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
        handler: (job) => {
          // The handler runs inside the consumer span, in the producer's trace.
          seenTraces.push(trace.getActiveSpan()?.spanContext().traceId ?? "none");
          if (job.fail) throw new Error(`job ${job.id} cannot be done`);
        },
      });
      const running = loop.run();
      running.catch(() => {}); // awaited below; a crash fails the test there, not as an unhandled rejection
      const report = await Jobs.produce({ id: "j-1", fail: true });
      await Jobs.produce({ id: "j-2", fail: false });
      await until(() => loop.stats.deadLettered === 1 && loop.stats.processed === 1, 60_000, "dlt");
      const lag = await metricSum("messaging.kafka.consumer.lag", {
        "messaging.consumer.group.name": group,
      });
      assert.ok(lag >= 0, "the running loop's lag is reported");
      loop.stop();
      await running;

      const all = spans.getFinishedSpans();
      const send = all.find((s) =>
        s.kind === kindProducer && s.name === `send ${topic}` &&
        s.attributes["messaging.kafka.message.key"] === "j-1"
      );
      assert.ok(send, "a producer span for j-1");
      const traceId = send.spanContext().traceId;
      assert.equal(send.attributes["messaging.system"], "kafka");
      assert.equal(send.attributes["messaging.destination.name"], topic);
      assert.equal(send.attributes["messaging.kafka.offset"], report.offset);
      assert.equal(send.attributes["messaging.destination.partition.id"], "0");

      const inTrace = all.filter((s) => s.spanContext().traceId === traceId);
      const first = inTrace.find((s) => s.name === `process ${topic}`);
      const retryTopic = `${group}.${topic}.retry.1`;
      const retried = inTrace.find((s) => s.name === `process ${retryTopic}`);
      assert.ok(first && retried, `process spans in one trace: ${inTrace.map((s) => s.name)}`);
      assert.equal(first.kind, kindConsumer);
      assert.equal(parentOf(first), send.spanContext().spanId, "continues the producer's span");
      assert.equal(
        parentOf(retried),
        first.spanContext().spanId,
        "continues across the retry topic",
      );
      assert.equal(first.attributes["messaging.consumer.group.name"], group);
      assert.equal(first.attributes["messaging.kafka.offset"], report.offset);
      assert.equal(first.attributes["messaging.kafka.message.key"], "j-1");
      assert.equal(retried.attributes["messaging.consumer.group.name"], `${group}.retry`);
      assert.ok(first.events.some((e) => e.name === "exception"), "the error is recorded");
      assert.ok(
        first.events.some((e) =>
          e.name === "retry_topic" && e.attributes?.["messaging.destination.name"] === retryTopic
        ),
      );
      const deadLetterTopic = `${group}.${topic}.dlt`;
      assert.ok(
        retried.events.some((e) =>
          e.name === "dead_letter" &&
          e.attributes?.["messaging.destination.name"] === deadLetterTopic
        ),
      );
      assert.equal(retried.status.code, statusError);
      assert.deepEqual(
        seenTraces.filter((id) => id === traceId).length,
        2,
        "both attempts",
      );

      // The dead-lettered record carries the trace on, for whoever reads the dead letter topic.
      const [dead] = await readAll(await connection.transport(), deadLetterTopic, 1);
      const traceparent = dead.headers.find(([name]) => name === "traceparent");
      assert.ok(traceparent);
      assert.equal(new TextDecoder().decode(traceparent[1]).split("-")[1], traceId);

      const where = { "messaging.destination.name": topic };
      assert.equal(await metricSum("messaging.client.sent.messages", where), 2);
      assert.equal(await metricSum("messaging.client.consumed.messages", where), 1);
      assert.equal(await metricSum("flowodm.messages.failed", where), 1);
      assert.equal(
        await metricSum("flowodm.messages.dead_lettered", {
          "messaging.destination.name": retryTopic,
        }),
        1,
      );
      assert.equal(await metricSum("messaging.process.duration", where), 2);
      assert.ok(await metricSum("flowodm.registry.requests", {}) > 0);
    } finally {
      await connection.close();
    }
  });
}

if (runsOn(runtimes)) {
  test(
    "consume() opens a consumer span per message in the producer's trace",
    { timeout: 60_000 },
    async () => {
      const { Jobs, connection } = jobs();
      try {
        await Jobs.ensureTopic({ partitions: 1 });
        const parent = trace.getTracer("test").startSpan("request");
        await context.with(
          trace.setSpan(context.active(), parent),
          () => Jobs.produceMany([{ id: "c-1", fail: false }, { id: "c-2", fail: false }]),
        );
        parent.end();
        const traceId = parent.spanContext().traceId;
        let read = 0;
        for await (const message of Jobs.consume({ fromBeginning: true })) {
          await message.commit();
          if (++read === 2) break;
        }
        const all = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
        const send = all.find((s) => s.kind === kindProducer);
        assert.ok(send, "the producer span");
        assert.equal(parentOf(send), parent.spanContext().spanId, "a child of the active span");
        assert.equal(send.attributes["messaging.batch.message_count"], 2);
        const processed = all.filter((s) => s.kind === kindConsumer);
        assert.equal(processed.length, 2);
        for (const span of processed) {
          assert.equal(parentOf(span), send.spanContext().spanId);
          assert.equal(span.attributes["messaging.destination.name"], Jobs.settings.topic);
        }
      } finally {
        await connection.close();
      }
    },
  );
}

if (runsOn(runtimes)) {
  test(
    "without a tracer provider, propagator or context manager no span is built; metrics still count",
    { timeout: 30_000 },
    async () => {
      await otelApi();
      const topic = uniqueName("otel-nosdk");
      const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      const message = {
        topic,
        partition: 0,
        offset: 7,
        key: new TextEncoder().encode("k"),
        value: new Uint8Array([0, 0, 0, 0, 1, 2]),
        headers: [["traceparent", new TextEncoder().encode(traceparent)]] as [string, Uint8Array][],
        timestamp: Date.now(),
      };
      const tracers: string[] = [];
      const getTracer = trace.getTracer.bind(trace);
      trace.disable();
      propagation.disable();
      context.disable();
      // Counts every tracer asked for: building a span starts there.
      Object.assign(trace, { getTracer: (name: string) => (tracers.push(name), getTracer(name)) });
      try {
        const noSdk = traceMessage(message, "g-nosdk");
        assert.equal(await noSdk.run(() => Promise.resolve(42)), 42);
        noSdk.handled();
        noSdk.end(true);
        const forwarded = noSdk.inject([["other", new Uint8Array([1])]]);
        assert.deepEqual(
          forwarded.map(([name, value]) => [name, new TextDecoder().decode(value)]),
          [["other", "\u0001"], ["traceparent", traceparent]],
          "a forwarded message continues the producer's trace",
        );
        assert.deepEqual(tracers, [], "no tracer asked for, so no span built");
        assert.equal(
          await metricSum("messaging.client.consumed.messages", {
            "messaging.destination.name": topic,
          }),
          1,
          "the meter provider still counts the message",
        );

        // An SDK registered while the process runs gets spans from the next message on.
        trace.setGlobalTracerProvider(tracerProvider);
        const withSdk = traceMessage({ ...message, offset: 8 }, "g-nosdk");
        withSdk.end(true);
        assert.deepEqual(tracers, ["flowodm"]);
        const made = spans.getFinishedSpans().filter((s) =>
          s.attributes["messaging.destination.name"] === topic
        );
        assert.equal(made.length, 1);
        assert.equal(made[0].spanContext().traceId, "0af7651916cd43dd8448eb211c80319c");
      } finally {
        delete (trace as { getTracer?: unknown }).getTracer;
        trace.setGlobalTracerProvider(tracerProvider);
        context.setGlobalContextManager(contextManager);
        propagation.setGlobalPropagator(propagator);
      }
    },
  );

  test(
    "without any SDK at all a handler call is run as it is, and forwarding keeps the trace",
    { timeout: 30_000 },
    async () => {
      await otelApi();
      const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      const message = {
        topic: uniqueName("otel-none"),
        partition: 0,
        offset: 1,
        key: null,
        value: new Uint8Array([0, 0, 0, 0, 1, 2]),
        headers: [["traceparent", new TextEncoder().encode(traceparent)]] as [string, Uint8Array][],
        timestamp: Date.now(),
      };
      trace.disable();
      propagation.disable();
      context.disable();
      metrics.disable();
      try {
        const none = traceMessage(message, "g-none");
        // No timing around the call: its result comes back as the handler gave it, no promise.
        assert.equal(none.run(() => 42), 42);
        none.handled();
        none.failed(new Error("x"));
        none.end(true);
        assert.deepEqual(
          none.inject([]).map(([name, value]) => [name, new TextDecoder().decode(value)]),
          [["traceparent", traceparent]],
        );
        // Producing: the messages reach the transport as they are, not copied with trace headers.
        const outgoing = [{ topic: message.topic, key: null, value: new Uint8Array([1]) }];
        let given: unknown;
        const results = await tracedSend(outgoing, (sent) => {
          given = sent;
          return Promise.resolve([{
            ok: true as const,
            report: { topic: message.topic, partition: 0, offset: 0, timestamp: 0 },
          }]);
        });
        assert.equal(given, outgoing);
        assert.equal(results.length, 1);
      } finally {
        metrics.setGlobalMeterProvider(meterProvider);
        trace.setGlobalTracerProvider(tracerProvider);
        context.setGlobalContextManager(contextManager);
        propagation.setGlobalPropagator(propagator);
      }
      // With the meter provider back, the next message is counted again, and so is a send.
      const counted = traceMessage({ ...message, offset: 2 }, "g-none");
      counted.handled();
      assert.equal(
        await metricSum("messaging.client.consumed.messages", {
          "messaging.destination.name": message.topic,
        }),
        1,
      );
      trace.disable();
      propagation.disable();
      context.disable();
      try {
        const failure = new TypeError("refused");
        const outgoing = { topic: message.topic, key: null, value: new Uint8Array([1]) };
        await tracedSend([outgoing, outgoing], () =>
          Promise.resolve([
            {
              ok: true as const,
              report: { topic: message.topic, partition: 0, offset: 0, timestamp: 0 },
            },
            { ok: false as const, error: failure, message: outgoing },
          ]));
        const where = { "messaging.destination.name": message.topic };
        assert.equal(await metricSum("messaging.client.sent.messages", where), 2);
        assert.equal(
          await metricSum("messaging.client.sent.messages", {
            ...where,
            "error.type": "TypeError",
          }),
          1,
        );
      } finally {
        trace.setGlobalTracerProvider(tracerProvider);
        context.setGlobalContextManager(contextManager);
        propagation.setGlobalPropagator(propagator);
      }
    },
  );
}
