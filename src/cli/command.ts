/**
 * The shape of one `flowodm` command: its options (declared once, for both
 * `node:util` parseArgs and `--help`) and what it does.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import type { Connection } from "../config/connection.ts";
import { ConfigError } from "../errors.ts";
import type { CompatibilityLevel, SchemaRegistry } from "../registry/types.ts";
import type { ExitCode } from "./exit_codes.ts";
import type { Output } from "./output.ts";

/** One long option. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** What it does, for `--help`. */
  readonly description: string;
  /** The value's placeholder in `--help`, e.g. `<file>`. */
  readonly value?: string;
}

/** Parsed option values. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** What a command works with. */
export interface CommandContext {
  readonly output: Output;
  /** The registry, resolved on first use from the global options and the environment. */
  registry(): SchemaRegistry;
  /** The connection models are rebound to, so they use the CLI's registry. */
  connection(): Connection;
}

/** A `flowodm` command. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The synopsis after `flowodm <name>`. */
  readonly synopsis: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(context: CommandContext, values: OptionValues): Promise<ExitCode>;
}

const levels: readonly CompatibilityLevel[] = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
];

/** The value of a required string option, or a usage error naming it. */
export function required(values: OptionValues, name: string, command: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(`${command} needs --${name}; see flowodm ${command} --help`);
  }
  return value;
}

/** An optional string option. */
export function optional(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A compatibility level from an option, checked against Confluent's names. */
export function levelOption(
  values: OptionValues,
  name: string,
): CompatibilityLevel | undefined {
  const raw = optional(values, name);
  if (raw === undefined) return undefined;
  const level = raw.toUpperCase() as CompatibilityLevel;
  if (!levels.includes(level)) {
    throw new ConfigError(
      `--${name} ${raw} is not a compatibility level: use one of ${levels.join(", ")}`,
    );
  }
  return level;
}

/** A schema version option: a positive number or `latest`. */
export function versionOption(values: OptionValues, name: string): number | "latest" {
  const raw = optional(values, name) ?? "latest";
  if (raw === "latest") return raw;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) {
    throw new ConfigError(`--${name} ${raw} is not a version: use a number from 1, or latest`);
  }
  return version;
}

/** Writes a command's product to the file its `option` named; a failure says which option to fix. */
export async function writeProduct(file: string, text: string, option: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new ConfigError(`cannot write ${file}: ${(error as Error).message}; check --${option}`);
  }
}
