/**
 * OpenTelemetry spans for Kafka, after the messaging semantic conventions: a
 * producer span per produce call whose W3C trace context (`traceparent`,
 * `tracestate`) travels in the message headers, and a consumer span per
 * handled message continuing that trace. Retries and dead-lettering are span
 * events; the headers forwarded to a retry or dead letter topic carry the
 * consumer span's context, so the trace continues there too.
 *
 * @module
 */
import type {
  DeliveryResult,
  IncomingMessage,
  KafkaHeader,
  OutgoingMessage,
} from "../transport/types.ts";
import { count, metricsNeeded } from "./metrics.ts";
import { loadedOtelApi, type OtelApi, otelApi, type OtelContext, type OtelSpan } from "./api.ts";
import { spanNeeded } from "./span_needed.ts";

type Attributes = Record<string, string | number | boolean>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strict = new TextDecoder("utf-8", { fatal: true });
const traceHeaderNames = new Set(["traceparent", "tracestate"]);
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A key as the conventions want it: text keys only (Avro keys start with the magic byte 0). */
function keyText(key: Uint8Array | null): string | undefined {
  if (!key || key.length === 0 || key[0] === 0) return undefined;
  try {
    return strict.decode(key);
  } catch {
    return undefined;
  }
}

/** The trace context of `context` as headers: the global propagator's, else W3C's written here. */
function traceHeaders(api: OtelApi, context: OtelContext, span: OtelSpan): KafkaHeader[] {
  const carrier: Record<string, string> = {};
  api.propagation.inject(context, carrier);
  const sc = span.spanContext();
  if (!carrier.traceparent && !/^0+$/.test(sc.traceId)) {
    carrier.traceparent = `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags & 1}`;
    const state = sc.traceState?.serialize();
    if (state) carrier.tracestate = state;
  }
  return Object.entries(carrier).map(([name, value]) => [name, encoder.encode(value)]);
}

/** `headers` with their trace context replaced by `trace`'s. */
function replaceTrace(headers: readonly KafkaHeader[], trace: KafkaHeader[]): KafkaHeader[] {
  if (trace.length === 0) return [...headers];
  const names = new Set(trace.map(([name]) => name));
  return [...headers.filter(([name]) => !names.has(name) && !traceHeaderNames.has(name)), ...trace];
}

/** The producer's context from a message's headers (the global propagator's, else W3C parsed here). */
function parentOf(api: OtelApi, headers: readonly KafkaHeader[]): OtelContext {
  const carrier: Record<string, string> = {};
  for (const [name, value] of headers) carrier[name] = decoder.decode(value);
  const context = api.propagation.extract(api.ROOT_CONTEXT, carrier);
  if (api.trace.getSpan(context)) return context;
  const match = traceparentPattern.exec(carrier.traceparent ?? "");
  if (!match) return api.ROOT_CONTEXT;
  return api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16),
    isRemote: true,
    traceState: carrier.tracestate ? api.createTraceState?.(carrier.tracestate) : undefined,
  });
}

/**
 * Sends `messages` (all to one topic) inside a producer span whose context
 * goes into their headers; without OpenTelemetry it only sends them.
 */
export async function tracedSend(
  messages: readonly OutgoingMessage[],
  send: (messages: readonly OutgoingMessage[]) => Promise<DeliveryResult[]>,
): Promise<DeliveryResult[]> {
  const api = await otelApi();
  if (!api || messages.length === 0) return await send(messages);
  const topic = messages[0].topic;
  const base: Attributes = { "messaging.system": "kafka", "messaging.destination.name": topic };
  if (!spanNeeded(api)) {
    // Nothing would see the span or its headers: the messages go as they are, counted if metered.
    const results = await send(messages);
    if (metricsNeeded(api)) countSent(results, base);
    return results;
  }
  const attributes: Attributes = {
    ...base,
    "messaging.operation.name": "send",
    "messaging.operation.type": "send",
  };
  if (messages.length > 1) attributes["messaging.batch.message_count"] = messages.length;
  const key = messages.length === 1 ? keyText(messages[0].key) : undefined;
  if (key !== undefined) attributes["messaging.kafka.message.key"] = key;
  if (messages.length === 1 && messages[0].value === null) {
    attributes["messaging.kafka.message.tombstone"] = true;
  }
  const parent = api.context.active();
  const span = api.trace.getTracer("flowodm").startSpan(`send ${topic}`, {
    kind: api.SpanKind.PRODUCER,
    attributes,
  }, parent);
  const trace = traceHeaders(api, api.trace.setSpan(parent, span), span);
  try {
    const results = await send(
      messages.map((message) => ({
        ...message,
        headers: replaceTrace(message.headers ?? [], trace),
      })),
    );
    const failed = results.filter((result) => !result.ok);
    const [first] = results;
    if (results.length === 1 && first.ok) {
      span.setAttribute("messaging.destination.partition.id", String(first.report.partition));
      span.setAttribute("messaging.kafka.offset", first.report.offset);
    }
    if (failed.length > 0) {
      const error = (failed[0] as { error: Error }).error;
      span.recordException(error);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.message });
    }
    countSent(results, base);
    return results;
  } catch (error) {
    span.recordException(error);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Counts delivered messages, and failed ones by the first failure's error type. */
function countSent(results: readonly DeliveryResult[], base: Attributes): void {
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const error = (failed[0] as { error: Error }).error;
    count("sent", failed.length, { ...base, "error.type": error.name });
  }
  if (results.length > failed.length) count("sent", results.length - failed.length, base);
}

/**
 * The consumer span of one message. Every method is a no-op without
 * OpenTelemetry (see `traceMessage`).
 */
export interface MessageTrace {
  /** Runs a handler call inside the span's context, timing it (no promise added without a span). */
  run<R>(fn: () => R | Promise<R>): R | Promise<R>;
  /** Adds an event: `retry`, `retry_topic`, `dead_letter`. */
  event(name: string, attributes?: Attributes): void;
  /** Records a failed attempt (the exception, the failed count). */
  failed(error: unknown): void;
  /** Headers for a message forwarded on this message's behalf: they carry this span's context. */
  inject(headers: KafkaHeader[]): KafkaHeader[];
  /** Counts the message as consumed: its handler finished. */
  handled(): void;
  /** Records that the message went to a dead letter topic, and ends the span as failed. */
  deadLettered(topic: string, error: unknown): void;
  /** Ends the span: `true` finished, `false` left unfinished, an error when it failed for good. */
  end(outcome: boolean | { error: unknown }): void;
}

/** The trace of a message when OpenTelemetry is absent. */
export const noTrace: MessageTrace = {
  run: (fn) => fn(),
  event() {},
  failed() {},
  inject: (headers) => headers,
  handled() {},
  deadLettered() {},
  end() {},
};

/**
 * The trace of a message when OpenTelemetry is loaded but nothing would see a
 * span (see `spanNeeded`): the metrics only when a meter provider is
 * registered, and no span built. Forwarded messages still carry the
 * producer's trace context, as the no-op span did.
 */
class MetricsOnlyTrace implements MessageTrace {
  readonly #api: OtelApi;
  readonly #message: IncomingMessage;
  readonly #group: string;
  readonly #counting: boolean;
  constructor(api: OtelApi, message: IncomingMessage, group: string) {
    this.#api = api;
    this.#message = message;
    this.#group = group;
    this.#counting = metricsNeeded(api);
  }
  run<R>(fn: () => R | Promise<R>): R | Promise<R> {
    return this.#counting ? this.#timed(fn) : fn();
  }
  async #timed<R>(fn: () => R | Promise<R>): Promise<R> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      count("duration", (performance.now() - started) / 1000, this.#base());
    }
  }
  event(): void {}
  failed(error: unknown): void {
    if (!this.#counting) return;
    count("failed", 1, { ...this.#base(), "error.type": (error as Error)?.name ?? "Error" });
  }
  inject(headers: KafkaHeader[]): KafkaHeader[] {
    const parent = parentOf(this.#api, this.#message.headers);
    const span = this.#api.trace.getSpan(parent);
    return replaceTrace(headers, span ? traceHeaders(this.#api, parent, span) : []);
  }
  handled(): void {
    if (this.#counting) count("consumed", 1, this.#base());
  }
  deadLettered(): void {
    if (this.#counting) count("deadLettered", 1, this.#base());
  }
  end(): void {}
  #base(): Attributes {
    return baseAttributes(this.#message, this.#group);
  }
}

function baseAttributes(message: IncomingMessage, group: string): Attributes {
  return {
    "messaging.system": "kafka",
    "messaging.destination.name": message.topic,
    "messaging.consumer.group.name": group,
  };
}

/** The consumer span of a message read in `group`; a no-op unless OpenTelemetry was loaded. */
export function traceMessage(message: IncomingMessage, group: string): MessageTrace {
  const api = loadedOtelApi();
  if (!api) return noTrace;
  if (!spanNeeded(api)) return new MetricsOnlyTrace(api, message, group);
  const base = baseAttributes(message, group);
  const attributes: Attributes = {
    ...base,
    "messaging.operation.name": "process",
    "messaging.operation.type": "process",
    "messaging.destination.partition.id": String(message.partition),
    "messaging.kafka.offset": message.offset,
  };
  const key = keyText(message.key);
  if (key !== undefined) attributes["messaging.kafka.message.key"] = key;
  if (message.value === null) attributes["messaging.kafka.message.tombstone"] = true;
  const parent = parentOf(api, message.headers);
  const span = api.trace.getTracer("flowodm").startSpan(`process ${message.topic}`, {
    kind: api.SpanKind.CONSUMER,
    attributes,
  }, parent);
  const context = api.trace.setSpan(parent, span);
  let ended = false;
  return {
    async run(fn) {
      const started = performance.now();
      try {
        return await api.context.with(context, fn);
      } finally {
        count("duration", (performance.now() - started) / 1000, base);
      }
    },
    event: (name, extra) => void span.addEvent(name, extra),
    failed(error) {
      span.recordException(error);
      count("failed", 1, { ...base, "error.type": (error as Error)?.name ?? "Error" });
    },
    inject: (headers) => replaceTrace(headers, traceHeaders(api, context, span)),
    handled: () => count("consumed", 1, base),
    deadLettered(topic, error) {
      span.addEvent("dead_letter", { "messaging.destination.name": topic });
      count("deadLettered", 1, base);
      this.end({ error });
    },
    end(outcome) {
      if (ended) return;
      ended = true;
      if (typeof outcome === "object") {
        const error = outcome.error;
        span.setStatus({
          code: api.SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      span.end();
    },
  };
}
