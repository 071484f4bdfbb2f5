/**
 * The official Node client (a NAN addon with librdkafka inside), loaded only
 * here and only on Node, plus its error mapping.
 */
import { createRequire } from "node:module";
import { TransportError } from "../../errors.ts";

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
