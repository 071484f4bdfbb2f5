/**
 * Whether a consumer span would be seen by anyone. With `@opentelemetry/api`
 * installed but no SDK, every span is a no-op, and building one per message
 * cost the Node ConsumerLoop about 60% of its rate (bench/notes.md). The
 * answer is read per message from the global registrations, so an SDK
 * registered while a loop runs gets its spans from the next message on.
 *
 * @module
 */
import type { OtelApi, OtelContext } from "./api.ts";

const probeKey = Symbol("flowodm.span_needed");
let noopProvider: object | undefined;
let probe: OtelContext | undefined;
let probeApi: OtelApi | undefined;

/**
 * True when a tracer provider, a propagator or a context manager is
 * registered. A context manager alone still makes spans matter: without a
 * tracer, the handler's context carries the producer's span context, so
 * what the handler produces continues the trace.
 */
export function spanNeeded(api: OtelApi): boolean {
  if (probeApi !== api) {
    // A proxy provider without a delegate answers with the API's one no-op provider.
    noopProvider = api.ProxyTracerProvider
      ? new api.ProxyTracerProvider().getDelegate()
      : undefined;
    probe = api.ROOT_CONTEXT.setValue?.(probeKey, true);
    probeApi = api;
  }
  // A registered provider replaces the proxy (getDelegate is then absent or another provider).
  const provider = api.trace.getTracerProvider?.();
  if (!noopProvider || !provider || provider.getDelegate?.() !== noopProvider) return true;
  if (api.propagation.fields?.().length !== 0) return true;
  // The no-op context manager ignores `with`: the probe never becomes active.
  return !probe || api.context.with(probe, probeActive);
}

function probeActive(): boolean {
  return probeApi?.context.active() === probe;
}
