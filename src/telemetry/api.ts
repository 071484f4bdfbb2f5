/**
 * Loads `@opentelemetry/api` when the application has it (an optional peer
 * dependency): imported by a name held in a variable, so that no runtime,
 * bundler or type checker requires it. Without it every hook is a no-op.
 * Only the few parts of the API FlowODM calls are typed here.
 *
 * @module
 */

/** A span, as FlowODM uses it. */
export interface OtelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  addEvent(name: string, attributes?: Record<string, string | number | boolean>): unknown;
  recordException(error: unknown): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  spanContext(): OtelSpanContext;
  end(): void;
}

/** The identity of a span, as W3C trace context carries it. */
export interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
  traceState?: { serialize(): string };
}

/** An opaque OpenTelemetry context. */
export type OtelContext = object;

interface Carrier {
  get(carrier: Record<string, string>, key: string): string | undefined;
  keys(carrier: Record<string, string>): string[];
}

/** A counter, histogram or up-down counter. */
export interface OtelInstrument {
  add?(value: number, attributes?: Record<string, string | number | boolean>): void;
  record?(value: number, attributes?: Record<string, string | number | boolean>): void;
}

/** An observable instrument. */
export interface OtelObservable {
  addCallback(
    callback: (result: {
      observe(value: number, attributes?: Record<string, string | number | boolean>): void;
    }) => void,
  ): void;
}

/** A meter. */
export interface OtelMeter {
  createCounter(name: string, options?: { description?: string; unit?: string }): OtelInstrument;
  createHistogram(name: string, options?: { description?: string; unit?: string }): OtelInstrument;
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): OtelObservable;
}

/** The slice of `@opentelemetry/api` FlowODM uses. */
export interface OtelApi {
  trace: {
    getTracer(name: string): {
      startSpan(
        name: string,
        options: { kind: number; attributes?: Record<string, string | number | boolean> },
        context?: OtelContext,
      ): OtelSpan;
    };
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    getSpan(context: OtelContext): OtelSpan | undefined;
    setSpanContext(context: OtelContext, spanContext: OtelSpanContext): OtelContext;
    /** The global provider: the API's proxy until an SDK registers its own. */
    getTracerProvider?(): { getDelegate?(): object };
  };
  context: {
    active(): OtelContext;
    with<R>(context: OtelContext, fn: () => R): R;
  };
  propagation: {
    inject(
      context: OtelContext,
      carrier: Record<string, string>,
      setter?: { set(c: Record<string, string>, k: string, v: string): void },
    ): void;
    extract(context: OtelContext, carrier: Record<string, string>, getter?: Carrier): OtelContext;
    /** The header names the global propagator uses: none for the no-op one. */
    fields?(): string[];
  };
  metrics: { getMeter(name: string): OtelMeter };
  /** The API's one no-op meter (1.3 and later): what `getMeter` gives until an SDK registers. */
  createNoopMeter?(): OtelMeter;
  createTraceState?(raw?: string): { serialize(): string };
  ROOT_CONTEXT: OtelContext & { setValue?(key: symbol, value: unknown): OtelContext };
  ProxyTracerProvider?: new () => { getDelegate(): object };
  SpanKind: { PRODUCER: number; CONSUMER: number };
  SpanStatusCode: { ERROR: number };
}

let loading: Promise<OtelApi | undefined> | undefined;
let loaded: OtelApi | undefined;

/** The API when the application has it installed, else undefined; loaded once. */
export function otelApi(): Promise<OtelApi | undefined> {
  loading ??= (async () => {
    const name = "@opentelemetry/api";
    try {
      const module = await import(name);
      const api = (module.trace ? module : module.default) as OtelApi | undefined;
      loaded = api?.trace && api.metrics && api.propagation ? api : undefined;
    } catch {
      loaded = undefined; // not installed: telemetry stays off
    }
    return loaded;
  })();
  return loading;
}

/** The API if it has finished loading (see `otelApi`), for code that cannot wait. */
export function loadedOtelApi(): OtelApi | undefined {
  return loaded;
}
