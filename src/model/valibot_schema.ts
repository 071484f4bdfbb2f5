/**
 * Models take Valibot schemas only: the Avro schema is generated from
 * Valibot's schema objects, which other Standard Schema libraries (Zod,
 * ArkType, ...) do not have. Their schemas are refused here with a
 * ConfigError that says so, instead of failing deep inside the generator.
 */
import { ConfigError } from "../errors.ts";

/** Throws a ConfigError naming `what` unless `schema` is a Valibot schema. */
export function requireValibotSchema(schema: unknown, what: string): void {
  const candidate = schema as
    | { kind?: unknown; "~run"?: unknown; "~standard"?: { vendor?: unknown } }
    | null
    | undefined;
  const vendor = candidate?.["~standard"]?.vendor;
  if (
    typeof candidate === "object" && candidate !== null && candidate.kind === "schema" &&
    typeof candidate["~run"] === "function" && vendor === "valibot"
  ) return;
  const found = typeof vendor === "string"
    ? `a schema of ${JSON.stringify(vendor)}`
    : candidate === null
    ? "null"
    : typeof candidate;
  throw new ConfigError(
    `${what} is ${found}, not a Valibot schema: FlowODM models take Valibot object schemas ` +
      '(import * as v from "valibot"; v.object({ ... })), from which it generates their Avro schemas',
  );
}
