/**
 * The `flowodm` command line: reads global options, picks the command, runs
 * it, and turns every failure into a message that says what to do next and
 * an exit code (see exit_codes.ts).
 *
 * @module
 */
import process from "node:process";
import type { Connection } from "../config/connection.ts";
import { ConfigError } from "../errors.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { parseOptions, splitCommand } from "./args.ts";
import { commands } from "./commands/mod.ts";
import { cliConnection, registryAccessOf } from "./connection.ts";
import { describe } from "./error_report.ts";
import { ExitCode, exitCodeOf } from "./exit_codes.ts";
import { commandHelp, globalOptions, mainHelp } from "./help.ts";
import { Output } from "./output.ts";
import { runtimeName, version } from "./version.ts";

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
    const values = parseOptions(rest, options, command ? `flowodm ${command.name}` : "flowodm");
    const url = values["registry-url"] as string | undefined;
    const auth = values["registry-auth"] as string | undefined;
    const access = registryAccessOf(values);
    output = new Output({
      json: Boolean(values.json),
      quiet: Boolean(values.quiet),
      secrets: secretsOf(url, auth, access.schemaRegistryBearerToken),
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
      const connect = () => connection ??= cliConnection({ url, auth, ...access });
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
function secretsOf(
  url: string | undefined,
  auth: string | undefined,
  token: string | undefined,
): string[] {
  const secrets = [
    auth,
    process.env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
    token,
    process.env.SCHEMA_REGISTRY_BEARER_TOKEN,
  ];
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
