/**
 * FlowODM's OpenTelemetry metrics, under the meter `flowodm`: messages sent,
 * consumed, failed and dead-lettered, handler duration, consumer lag and
 * Schema Registry requests. Instruments are made on first use, so the
 * application's meter provider must be registered before the first message.
 *
 * @module
 */
import { loadedOtelApi, type OtelApi, type OtelInstrument } from "./api.ts";

type Attributes = Record<string, string | number | boolean>;

interface Instruments {
  readonly sent: OtelInstrument;
  readonly consumed: OtelInstrument;
  readonly failed: OtelInstrument;
  readonly deadLettered: OtelInstrument;
  readonly duration: OtelInstrument;
  readonly registryRequests: OtelInstrument;
}

/** Running loops' lag, read when the meter collects. */
const lagSources = new Set<{ readonly attributes: Attributes; lag(): number }>();
/** Per meter: a provider registered later gets its own (the no-op one's stay no-ops). */
const made = new WeakMap<object, Instruments>();

function instrumentsOf(api: OtelApi): Instruments {
  const meter = api.metrics.getMeter("flowodm");
  const known = made.get(meter);
  if (known) return known;
  const lag = meter.createObservableGauge("messaging.kafka.consumer.lag", {
    description: "Records written to a loop's partitions and not yet received",
    unit: "{message}",
  });
  lag.addCallback((result) => {
    for (const source of lagSources) result.observe(source.lag(), source.attributes);
  });
  const instruments: Instruments = {
    sent: meter.createCounter("messaging.client.sent.messages", {
      description: "Messages delivered to Kafka by produce, produceMany, send and tombstone",
      unit: "{message}",
    }),
    consumed: meter.createCounter("messaging.client.consumed.messages", {
      description: "Messages handled by a loop or read by consume()",
      unit: "{message}",
    }),
    failed: meter.createCounter("flowodm.messages.failed", {
      description: "Handler attempts that threw, and undecodable messages",
      unit: "{message}",
    }),
    deadLettered: meter.createCounter("flowodm.messages.dead_lettered", {
      description: "Messages written to a dead letter topic",
      unit: "{message}",
    }),
    duration: meter.createHistogram("messaging.process.duration", {
      description: "Duration of a handler call",
      unit: "s",
    }),
    registryRequests: meter.createCounter("flowodm.registry.requests", {
      description: "HTTP requests to the Schema Registry",
      unit: "{request}",
    }),
  };
  made.set(meter, instruments);
  return instruments;
}

/** Adds to a counter or records into a histogram, when OpenTelemetry is loaded. */
export function count(
  name: keyof Instruments,
  value: number,
  attributes: Attributes,
): void {
  const api = loadedOtelApi();
  if (!api) return;
  const instrument = instrumentsOf(api)[name];
  if (instrument.add) instrument.add(value, attributes);
  else instrument.record?.(value, attributes);
}

/** Whether a meter provider is registered: without one, every instrument is a no-op. */
export function metricsNeeded(api: OtelApi): boolean {
  return !api.createNoopMeter || api.metrics.getMeter("flowodm") !== api.createNoopMeter();
}

/** Reports a running loop's lag until the returned function is called. */
export function watchLag(attributes: Attributes, lag: () => number): () => void {
  const api = loadedOtelApi();
  if (!api) return () => {};
  instrumentsOf(api);
  const source = { attributes, lag };
  lagSources.add(source);
  return () => void lagSources.delete(source);
}

/** Counts one Schema Registry request: its method and status, or the error that replaced it. */
export function countRegistryRequest(method: string, outcome: number | "error"): void {
  count("registryRequests", 1, {
    "http.request.method": method,
    ...(outcome === "error"
      ? { "error.type": "network" }
      : { "http.response.status_code": outcome }),
  });
}
