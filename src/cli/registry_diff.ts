/**
 * What the CLI says when the registry refuses a schema without a reason
 * (Apicurio 3 answers only `is_compatible`): that it gave none, and how the
 * model's schema differs from the subject's latest version, computed here.
 *
 * @module
 */
import type { SchemaRegistry } from "../registry/types.ts";
import { compareSchemas } from "./schema_diff.ts";

/** Lines explaining a refusal that came without reasons. */
export async function explainUnexplainedRefusal(
  registry: SchemaRegistry,
  subject: string,
  modelSchema: unknown,
): Promise<string[]> {
  let latest;
  try {
    latest = await registry.version(subject, "latest");
  } catch (error) {
    return [
      `the registry gave no reason, and its latest version could not be read to compare: ${
        (error as Error).message
      }`,
    ];
  }
  const label = `"${subject}" version ${latest.version}`;
  const { errors, warnings } = compareSchemas(
    JSON.parse(latest.schema),
    modelSchema,
    label,
    "registry",
  );
  const differences = [...errors, ...warnings];
  if (differences.length === 0) {
    return [`the registry gave no reason, and the model's schema equals ${label}`];
  }
  return [
    `the registry gave no reason; the model's schema, compared here with ${label}:`,
    ...differences.map((line) => `  ${line}`),
  ];
}
