/**
 * What `consume()` and `consumeOne()` do with a record that cannot be
 * decoded: throw (the default), skip it with a log line, or hand it to a
 * callback and go on.
 *
 * @module
 */
import { RegistryError } from "../errors.ts";
import type { RawMessage } from "../loop/options.ts";
import { consoleLogger } from "../loop/logger.ts";
import { registryDidNotAnswer } from "../registry/outage.ts";
import type { IncomingMessage } from "../transport/types.ts";
import type { Logger } from "../transport/logging.ts";

/**
 * What to do with a record that cannot be decoded (bad magic byte, a schema
 * id the registry does not know, bytes that do not parse, data the model
 * refuses, a key model's record without a key): `"throw"` (default) ends the
 * iteration with the error, the record uncommitted; `"skip"` logs it and goes
 * on; a callback receives the error and the raw record (e.g. to keep it
 * somewhere) and the iteration goes on. A registry that fails is never
 * "undecodable": its error is always thrown.
 *
 * @example
 * ```ts
 * for await (const msg of Order.consume({
 *   onUndecodable: async (error, raw) => await keep(raw.topic, raw.offset, raw.value, error),
 * })) {
 *   await msg.commit();
 * }
 * ```
 */
export type OnUndecodable =
  | "throw"
  | "skip"
  | ((error: unknown, raw: RawMessage) => Promise<void> | void);

const hint =
  ' (pass onUndecodable: "skip" or a callback to consume()/consumeOne() to go on past such records)';

/**
 * Applies the policy to a decode that threw: rethrows, or resolves once the
 * record was logged or handed to the callback (the caller skips it).
 */
export async function undecodable(
  error: unknown,
  message: IncomingMessage,
  policy: OnUndecodable | undefined,
  logger: Logger | undefined,
): Promise<void> {
  if (error instanceof RegistryError || registryDidNotAnswer(error)) throw error;
  if (policy === undefined || policy === "throw") {
    if (error instanceof Error && !error.message.endsWith(hint)) error.message += hint;
    throw error;
  }
  if (policy === "skip") {
    (logger ?? consoleLogger).warn("skipping an undecodable record", {
      source: "flowodm",
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      error: String(error),
    });
    return;
  }
  await policy(error, message);
}
