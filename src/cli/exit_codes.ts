/**
 * The CLI's exit codes, a contract with CI pipelines: 0 ok, 1 a check failed
 * (invalid or incompatible), 2 the command was used wrongly, 3 the registry
 * (or Kafka Connect) refused or could not be reached.
 *
 * @module
 */
import {
  ConfigError,
  ConnectError,
  RegistryError,
  SchemaError,
  ValidationError,
  WorkerError,
} from "../errors.ts";

/** What a `flowodm` process exits with. */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  registry: 3,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/** The exit code an error ends the process with. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof RegistryError) {
    // 409: incompatible schema; 422: invalid schema. Both are verdicts on the input, not outages.
    return error.status === 409 || error.status === 422 ? ExitCode.checkFailed : ExitCode.registry;
  }
  // Connect answers 400 to a config it refuses: a verdict on the input, like the registry's 422.
  if (error instanceof ConnectError) {
    return error.status === 400 ? ExitCode.checkFailed : ExitCode.registry;
  }
  if (error instanceof SchemaError || error instanceof ValidationError) return ExitCode.checkFailed;
  // A worker's loop that kept crashing: the run failed, as a failed check does.
  if (error instanceof WorkerError) return ExitCode.checkFailed;
  if (error instanceof ConfigError) return ExitCode.usage;
  return ExitCode.usage;
}
