/**
 * The `flowodm` command line: reads global options, picks the command, runs
 * it, and turns every failure into a message that says what to do next and
 * an exit code (see exit_codes.ts).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import type { Connection } from "../config/connection.ts";
import { ConfigError, FlowOdmError, RegistryError } from "../errors.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { Command, OptionSpec, OptionValues } from "./command.ts";
import { commands } from "./commands/mod.ts";
import { cliConnection } from "./connection.ts";
import { ExitCode, exitCodeOf } from "./exit_codes.ts";
import { Output } from "./output.ts";
import { runtimeName, version } from "./version.ts";

/** Options every command accepts. */
export const globalOptions: Readonly<Record<string, OptionSpec>> = {
  "registry-url": {
    type: "string",
    value: "<url>",
    description: "Schema Registry URL (default: $SCHEMA_REGISTRY_URL)",
  },
  "registry-auth": {
    type: "string",
    value: "<user:password>",
    description: "basic auth (default: $SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO; prefer the variable)",
  },
  json: { type: "boolean", description: "print one JSON document on stdout" },
  quiet: { type: "boolean", description: "print nothing but errors and the command's product" },
  help: { type: "boolean", description: "show help" },
  version: { type: "boolean", description: "print the version" },
};

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const left = Object.entries(options).map(([name, spec]) =>
    `  --${name}${spec.value ? ` ${spec.value}` : ""}`
  );
  const width = Math.max(...left.map((text) => text.length));
  return Object.values(options).map((spec, i) => `${left[i].padEnd(width)}  ${spec.description}`);
}

function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `flowodm ${version}: schema management for CI/CD pipelines`,
    "",
    "Usage: flowodm <command> [options]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Global options:",
    ...optionLines(globalOptions),
    "",
    "Exit codes: 0 ok, 1 check failed (invalid or incompatible), 2 usage error, 3 registry or network error.",
    "Run `flowodm <command> --help` for a command's options.",
  ].join("\n");
}

function commandHelp(command: Command): string {
  return [
    `flowodm ${command.name}: ${command.summary}`,
    "",
    `Usage: flowodm ${command.name} ${command.synopsis}`,
    "",
    "Options:",
    ...optionLines(command.options),
    "",
    "Global options:",
    ...optionLines(globalOptions),
  ].join("\n");
}

const globalsWithValues = new Set(
  Object.entries(globalOptions).filter(([, spec]) => spec.type === "string").map(([name]) => name),
);

/** The command word: the first argument that is neither an option nor a global option's value. */
function splitCommand(args: readonly string[]): { name?: string; rest: string[] } {
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

function parse(args: string[], options: Readonly<Record<string, OptionSpec>>, where: string) {
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

function describe(error: unknown): { message: string; detail: Record<string, unknown> } {
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
  return { message: withNextStep(error, message), detail };
}

/** Registry errors carry the registry's words; add what to do about them. */
function withNextStep(error: unknown, message: string): string {
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

/** Runs `flowodm` with these arguments; resolves the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  // Until the arguments are parsed, errors are still shown as asked for.
  let output = new Output({ json: args.includes("--json"), quiet: false, secrets: [] });
  let code: number;
  try {
    const { name, rest } = splitCommand(args);
    const command = commands.find((candidate) => candidate.name === name);
    if (name !== undefined && !command) {
      throw new ConfigError(
        `unknown command "${name}": use one of ${commands.map((c) => c.name).join(", ")}`,
      );
    }
    const options = command ? { ...globalOptions, ...command.options } : globalOptions;
    const values = parse(rest, options, command ? `flowodm ${command.name}` : "flowodm");
    const url = values["registry-url"] as string | undefined;
    const auth = values["registry-auth"] as string | undefined;
    output = new Output({
      json: Boolean(values.json),
      quiet: Boolean(values.quiet),
      secrets: secretsOf(url, auth),
    });
    // get-schema and generate have a --version <n> of their own.
    if (values.version === true) {
      output.result({ version, runtime: runtimeName() });
      output.product(`flowodm ${version} (${runtimeName()})`);
      code = ExitCode.ok;
    } else if (values.help || !command) {
      output.product(command ? commandHelp(command) : mainHelp());
      code = values.help ? ExitCode.ok : ExitCode.usage;
    } else {
      let connection: Connection | undefined;
      const connect = () => connection ??= cliConnection({ url, auth });
      code = await command.run({
        output,
        connection: connect,
        registry: (): SchemaRegistry => connect().registry(),
      }, values);
    }
  } catch (error) {
    const { message, detail } = describe(error);
    output.error(message, detail);
    code = exitCodeOf(error);
  }
  await output.flush();
  return code;
}

/** Every form of the registry credentials that must never be printed. */
function secretsOf(url: string | undefined, auth: string | undefined): string[] {
  const secrets = [auth, process.env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO];
  for (const candidate of [url, process.env.SCHEMA_REGISTRY_URL]) {
    try {
      const parsed = candidate ? new URL(candidate) : undefined;
      if (parsed?.password) {
        secrets.push(parsed.password, decodeURIComponent(parsed.password));
      }
    } catch { /* not a URL: cliConnection reports it */ }
  }
  for (const userInfo of [auth, process.env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO]) {
    // The password alone must not leak either.
    if (userInfo?.includes(":")) secrets.push(userInfo.slice(userInfo.indexOf(":") + 1));
  }
  return secrets.filter((secret): secret is string => Boolean(secret));
}
