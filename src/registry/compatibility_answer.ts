/**
 * How a compatibility test is asked and its answer read, the same on
 * Confluent's registry and Apicurio's Confluent API, whose answers differ.
 *
 * @module
 */
import type { CompatibilityLevel } from "./types.ts";

/** The body of a compatibility answer, as each registry writes it. */
export interface CompatibilityAnswer {
  readonly is_compatible: boolean;
  /** Confluent's reasons (with `verbose=true`). */
  readonly messages?: unknown;
  /** Apicurio 2's one reason; Apicurio 3 gives none. */
  readonly reason?: unknown;
}

/**
 * The path a candidate is posted to. A non-transitive level is tested against
 * the latest version (`/versions/latest`): Confluent does that for a POST to
 * `/versions` too, but Apicurio tests every version there.
 */
export function compatibilityPath(
  subject: string,
  effective: CompatibilityLevel,
  version?: number | "latest",
): string {
  const target = version !== undefined
    ? `/${version}`
    : effective.endsWith("_TRANSITIVE")
    ? ""
    : "/latest";
  return `/compatibility/subjects/${encodeURIComponent(subject)}/versions${target}?verbose=true`;
}

/** The reasons of an answer: Confluent's `messages`, else Apicurio 2's `reason`. */
export function compatibilityReasons(answer: CompatibilityAnswer): string[] {
  if (Array.isArray(answer.messages) && answer.messages.length > 0) {
    return answer.messages.map(String);
  }
  return typeof answer.reason === "string" && answer.reason ? [answer.reason] : [];
}
