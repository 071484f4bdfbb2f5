/**
 * Command-line parsing with `node:util` parseArgs (the runtimes' shared
 * built-in; JSR's @std/cli is unreachable from the build machines). Global
 * options may stand before or after the command word.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../errors.ts";
import type { OptionSpec, OptionValues } from "./command.ts";
import { globalOptions } from "./help.ts";

const globalsWithValues = new Set(
  Object.entries(globalOptions).filter(([, spec]) => spec.type === "string").map(([name]) => name),
);

/** The command word: the first argument that is neither an option nor a global option's value. */
export function splitCommand(args: readonly string[]): { name?: string; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      if (!arg.includes("=") && globalsWithValues.has(arg.slice(2))) i++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    return { name: arg, rest: [...args.slice(0, i), ...args.slice(i + 1)] };
  }
  return { rest: [...args] };
}

/** Parses a command's arguments; a usage error names the help to read. */
export function parseOptions(
  args: string[],
  options: Readonly<Record<string, OptionSpec>>,
  where: string,
) {
  try {
    return parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(options).map(([name, spec]) => [name, { type: spec.type }]),
      ),
      strict: true,
      allowPositionals: false,
    }).values as OptionValues;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; see ${where} --help`);
  }
}
