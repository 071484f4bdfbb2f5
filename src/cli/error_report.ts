/**
 * How a failure is reported: its message plus the next step to take, and the
 * fields of its `--json` form.
 *
 * @module
 */
import { ConnectError, FlowOdmError, RegistryError } from "../errors.ts";
import { exitCodeOf } from "./exit_codes.ts";

/** The message to print and the JSON detail of a failure. */
export function describe(error: unknown): { message: string; detail: Record<string, unknown> } {
  const message = error instanceof Error ? error.message : String(error);
  const detail: Record<string, unknown> = {
    type: error instanceof Error ? error.name : "Error",
    message,
    exitCode: exitCodeOf(error),
  };
  if (error instanceof RegistryError) {
    if (error.status !== undefined) detail.status = error.status;
    if (error.errorCode !== undefined) detail.errorCode = error.errorCode;
    if (error.subject !== undefined) detail.subject = error.subject;
  }
  if (error instanceof ConnectError) {
    if (error.status !== undefined) detail.status = error.status;
    if (error.connector !== undefined) detail.connector = error.connector;
  }
  return { message: withNextStep(error, message), detail };
}

/** Registry errors carry the registry's words; add what to do about them. */
function withNextStep(error: unknown, message: string): string {
  if (error instanceof ConnectError && error.status === undefined) {
    return `${message}\n  check that Kafka Connect is running and --connect-url / KAFKA_CONNECT_URL points at it`;
  }
  if (!(error instanceof RegistryError)) {
    return error instanceof FlowOdmError ? message : `unexpected failure: ${message}`;
  }
  if (error.status === undefined) {
    return `${message}\n  check that the registry is running and --registry-url / SCHEMA_REGISTRY_URL points at it`;
  }
  if (error.status === 401 || error.status === 403) {
    return `${message}\n  check the credentials in SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO or --registry-auth`;
  }
  if (error.status === 404) {
    return `${message}\n  list what exists with \`flowodm list-subjects\``;
  }
  if (error.status === 409) {
    return `${message}\n  see why with \`flowodm check-compatibility\`, or change the subject's level with \`flowodm set-compatibility\``;
  }
  if (error.status === 422) return `${message}\n  fix the schema: it is not valid Avro`;
  return message;
}
