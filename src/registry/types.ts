/**
 * What FlowODM asks of a Confluent-compatible Schema Registry. The HTTP client
 * and the in-process `mock://` registry both implement it.
 *
 * @module
 */

/** Compatibility levels, as Confluent names them. */
export type CompatibilityLevel =
  | "NONE"
  | "BACKWARD"
  | "BACKWARD_TRANSITIVE"
  | "FORWARD"
  | "FORWARD_TRANSITIVE"
  | "FULL"
  | "FULL_TRANSITIVE";

/**
 * What a registry (or one subject) accepts: `READWRITE` everything,
 * `READONLY` no new schemas, `IMPORT` schemas with their ids given (migrations).
 *
 * @example
 * ```ts
 * import { type RegistryMode, SchemaRegistryClient } from "@flowodm/flowodm";
 * const registry = new SchemaRegistryClient({ url: "http://localhost:8081" });
 * await registry.setMode("READONLY", "orders-value"); // freeze one subject
 * const mode: RegistryMode = await registry.mode("orders-value");
 * console.log(mode, await registry.mode()); // "READONLY", then the global mode
 * ```
 */
export type RegistryMode = "READWRITE" | "READONLY" | "IMPORT";

/** A schema registered under a subject. */
export interface RegisteredSchema {
  /** The subject it is registered under. */
  readonly subject: string;
  /** Its version within the subject, from 1. */
  readonly version: number;
  /** Its global id, the one the wire format carries. */
  readonly id: number;
  /** The schema text (Avro JSON). */
  readonly schema: string;
}

/** The registry's verdict on a candidate schema. */
export interface CompatibilityResult {
  /** Whether the candidate may be registered at the level tested. */
  readonly isCompatible: boolean;
  /** Why not, in the registry's words; empty when compatible. */
  readonly messages: readonly string[];
}

/** The registry operations models and the CLI use. */
export interface SchemaRegistry {
  /** Registers the schema under the subject (or finds it there); resolves its id. */
  register(subject: string, schema: string, options?: { normalize?: boolean }): Promise<number>;
  /** The subject's version holding this schema, or undefined when it has none. */
  lookup(subject: string, schema: string): Promise<RegisteredSchema | undefined>;
  /** The schema text of a global id. */
  schemaById(id: number): Promise<string>;
  /** A version of a subject: a number or `"latest"`. */
  version(subject: string, version: number | "latest"): Promise<RegisteredSchema>;
  /** Subject names, optionally by prefix and including soft-deleted ones. */
  subjects(options?: { prefix?: string; deleted?: boolean }): Promise<string[]>;
  /** Version numbers of a subject. */
  versions(subject: string, options?: { deleted?: boolean }): Promise<number[]>;
  /** Deletes a subject (soft, or permanent after a soft delete); resolves the versions deleted. */
  deleteSubject(subject: string, options?: { permanent?: boolean }): Promise<number[]>;
  /**
   * Deletes one version of a subject (soft; permanent after a soft delete);
   * resolves the version number deleted.
   */
  deleteSchemaVersion(
    subject: string,
    version: number | "latest",
    options?: { permanent?: boolean },
  ): Promise<number>;
  /** The compatibility level of a subject (its own, else the global one), or the global one. */
  compatibility(subject?: string): Promise<CompatibilityLevel>;
  /** Sets the compatibility level of a subject, or the global one. */
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void>;
  /** The mode of a subject (its own, else the global one), or the global one. */
  mode(subject?: string): Promise<RegistryMode>;
  /** Sets the mode of a subject, or the global one. */
  setMode(mode: RegistryMode, subject?: string): Promise<void>;
  /** Tests a candidate against the subject at the given level (the subject's own by default). */
  testCompatibility(
    subject: string,
    schema: string,
    options?: { level?: CompatibilityLevel; version?: number | "latest" },
  ): Promise<CompatibilityResult>;
}
