/**
 * The official Node client (a NAN addon with librdkafka inside), loaded only
 * here and only on Node, plus its error mapping.
 */
import { createRequire } from "node:module";
import { TransportError } from "../../errors.ts";
import { refusalCode, refusalError, saslMechanism } from "../refusal.ts";
import type { KafkaProperties } from "../types.ts";

// deno-lint-ignore no-explicit-any
export type Kafka = any;

let loaded: Kafka | undefined;

/** The node-rdkafka-style API of @confluentinc/kafka-javascript. */
export function kafka(): Kafka {
  loaded ??= createRequire(import.meta.url)("@confluentinc/kafka-javascript");
  return loaded;
}

let names: Map<number, string> | undefined;

/** librdkafka's name of a code, as rd_kafka_err2name spells it (no `ERR_` prefix). */
export function codeName(code: number): string | undefined {
  names ??= new Map(
    Object.entries(kafka().CODES.ERRORS as Record<string, number>).map(([name, value]) => [
      value,
      name.replace(/^ERR_/, ""),
    ]),
  );
  return names.get(code);
}

/** A TransportError from whatever the addon reported. */
export function transportError(what: string, error: unknown): TransportError {
  const cause = error as { code?: number; message?: string; isRetriable?: boolean };
  const code = typeof cause?.code === "number" ? cause.code : undefined;
  return new TransportError(`${what}: ${cause?.message ?? String(error)}`, {
    code,
    codeName: code === undefined ? undefined : codeName(code),
    retriable: Boolean(cause?.isRetriable),
    cause: error,
  });
}

/** Runs a node-style callback API as a promise. */
export function call<T>(
  what: string,
  run: (done: (error: unknown, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      run((error, value) => (error ? reject(transportError(what, error)) : resolve(value as T)));
    } catch (error) {
      reject(transportError(what, error));
    }
  });
}

/** A librdkafka log line as the addon emits it. */
interface LogLine {
  severity?: number;
  fac?: string;
  message?: string;
}

/** The refusal a FAIL log line reports, if it reports one (see ../refusal.ts). */
function refusalIn(line: LogLine): number | undefined {
  if (line?.fac !== "FAIL" || typeof line.message !== "string") return undefined;
  if (line.message.includes("SASL authentication error")) return -169;
  if (line.message.includes("SSL handshake failed")) return -181;
  return refusalCode(undefined, line.message);
}

/**
 * Connects a producer or consumer; a broker refusing its credentials or TLS
 * fails the connect at once (see ../refusal.ts) instead of after the addon's
 * 30 s metadata timeout. The addon dispatches error events only once
 * connected, so the refusal is read from librdkafka's FAIL log line, whose
 * text names the broker and the mechanism.
 */
export function connectClient(
  what: string,
  client: Kafka,
  properties: KafkaProperties,
  timeoutMs?: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const stop = () => {
      settled = true;
      client.removeListener("event.log", onLog);
    };
    const onLog = (line: LogLine) => {
      const code = refusalIn(line);
      if (settled || code === undefined) return;
      stop();
      // The line starts with "[thrd:...]: "; the rest names the broker.
      const detail = line.message!.replace(/^\[thrd:[^\]]*\]: /, "");
      reject(refusalError(code, detail, saslMechanism(properties)));
    };
    client.on("event.log", onLog);
    try {
      client.connect(timeoutMs === undefined ? {} : { timeout: timeoutMs }, (error: unknown) => {
        if (settled) return;
        stop();
        if (error) reject(transportError(what, error));
        else resolve();
      });
    } catch (error) {
      stop();
      reject(transportError(what, error));
    }
  });
}
