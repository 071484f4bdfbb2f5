/**
 * Checks of a model against what its subject holds, for CI pipelines: is the
 * generated schema the registered one, and could it be registered.
 *
 * @module
 */
import { RegistryError } from "../errors.ts";
import type { CompatibilityLevel, CompatibilityResult } from "../registry/types.ts";
import type { Model } from "./model.ts";

/** The verdict of {@link validateAgainstRegistry}. */
export interface RegistryValidation {
  /** True when the subject exists and can take the model's schema. */
  readonly isValid: boolean;
  /** What makes it invalid: missing subject, incompatible change. */
  readonly errors: readonly string[];
  /** What deserves a look: the model differs from the latest registered schema. */
  readonly warnings: readonly string[];
}

/**
 * What a refusal says when the registry gives no reason (Apicurio 3 answers
 * only `is_compatible`); the CLI follows it with the differences it computes.
 */
export const noReasonGiven = "incompatible, and the registry gave no reason";

function canonical(schema: unknown): string {
  return JSON.stringify(
    schema,
    (_key, value) =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
        : value,
  );
}

/**
 * Compares the model's generated schema with the latest one registered under
 * its subject (or `subject`).
 *
 * @example
 * ```ts
 * import { validateAgainstRegistry } from "@flowodm/flowodm";
 * import { Order } from "./models.ts";
 * const { isValid, errors, warnings } = await validateAgainstRegistry(Order);
 * if (!isValid) console.error(errors.join("\n"));
 * ```
 */
export async function validateAgainstRegistry(
  model: Model<unknown, unknown>,
  subject: string = model.subject,
): Promise<RegistryValidation> {
  const registry = model.connection.registry();
  let latest;
  try {
    latest = await registry.version(subject, "latest");
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) {
      return {
        isValid: false,
        errors: [`subject "${subject}" has no registered schema; register ${model.name} first`],
        warnings: [],
      };
    }
    throw error;
  }
  if (canonical(JSON.parse(latest.schema)) === canonical(model.avroSchema)) {
    return { isValid: true, errors: [], warnings: [] };
  }
  const verdict = await registry.testCompatibility(subject, JSON.stringify(model.avroSchema));
  const warning =
    `${model.name}'s schema differs from "${subject}" version ${latest.version} (id ${latest.id})`;
  if (verdict.isCompatible) {
    return { isValid: true, errors: [], warnings: [`${warning}; registering it is compatible`] };
  }
  const reasons = verdict.messages.length > 0 ? verdict.messages : [noReasonGiven];
  return { isValid: false, errors: reasons.map((m) => `${warning}: ${m}`), warnings: [] };
}

/**
 * Asks the registry whether the model's schema may be registered under its
 * subject at `level` (the subject's own level by default; transitive levels
 * check every version).
 *
 * @example
 * ```ts
 * import { checkCompatibility } from "@flowodm/flowodm";
 * import { Order } from "./models.ts";
 * const { isCompatible, messages } = await checkCompatibility(Order, { level: "FULL_TRANSITIVE" });
 * console.log(isCompatible, messages);
 * ```
 */
export function checkCompatibility(
  model: Model<unknown, unknown>,
  options: { level?: CompatibilityLevel; subject?: string } = {},
): Promise<CompatibilityResult> {
  return model.connection.registry().testCompatibility(
    options.subject ?? model.subject,
    JSON.stringify(model.avroSchema),
    { level: options.level },
  );
}
