/**
 * A subject or version that does not exist is a verdict on what was asked
 * (exit 1), not a registry outage (exit 3): its message says what is missing.
 *
 * @module
 */
import { RegistryError } from "../errors.ts";
import type { RegisteredSchema, SchemaRegistry } from "../registry/types.ts";

/** Confluent's codes for a missing subject, version or schema, and for a soft-deleted subject. */
export const missingCodes: ReadonlySet<number> = new Set([40401, 40402, 40403, 40404]);

/** Whether the registry answered that the thing asked for does not exist. */
export function isMissing(error: unknown): error is RegistryError {
  return error instanceof RegistryError && error.status === 404 &&
    missingCodes.has(error.errorCode ?? 0);
}

/** `error` reworded to say what does not exist, when it is that; otherwise `error` itself. */
export function explainMissing(
  error: unknown,
  subject: string,
  version?: number | "latest",
): unknown {
  if (!isMissing(error)) return error;
  const what = error.errorCode === 40402 && version !== undefined && version !== "latest"
    ? `version ${version} of subject "${subject}" does not exist`
    : error.errorCode === 40404
    ? `subject "${subject}" does not exist: it was soft-deleted (--permanent removes it for good)`
    : `subject "${subject}" does not exist`;
  return new RegistryError(`${what} (registry: ${error.message})`, {
    status: error.status,
    errorCode: error.errorCode,
    subject,
    cause: error,
  });
}

/** A version of a subject, a missing one reported as what does not exist. */
export function fetchVersion(
  registry: SchemaRegistry,
  subject: string,
  version: number | "latest",
): Promise<RegisteredSchema> {
  return registry.version(subject, version).catch((error) => {
    throw explainMissing(error, subject, version);
  });
}
