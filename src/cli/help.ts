/**
 * The CLI's `--help` texts, written from the option declarations so that they
 * cannot drift from what the parser accepts.
 *
 * @module
 */
import type { Command, OptionSpec } from "./command.ts";
import { commands } from "./commands/mod.ts";
import { version } from "./version.ts";

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
  "registry-token": {
    type: "string",
    value: "<token>",
    description: "bearer token (default: $SCHEMA_REGISTRY_BEARER_TOKEN; prefer the variable)",
  },
  "registry-ca": {
    type: "string",
    value: "<file>",
    description: "PEM CA for the registry's TLS (default: $SCHEMA_REGISTRY_SSL_CA_LOCATION)",
  },
  "registry-cert": {
    type: "string",
    value: "<file>",
    description: "PEM client certificate (default: $SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION)",
  },
  "registry-key": {
    type: "string",
    value: "<file>",
    description: "PEM client key (default: $SCHEMA_REGISTRY_SSL_KEY_LOCATION)",
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

/** The help of `flowodm` itself. */
export function mainHelp(): string {
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

/** The help of one command. */
export function commandHelp(command: Command): string {
  return [
    `flowodm ${command.name}: ${command.summary}`,
    "",
    `Usage: flowodm ${command.name} ${command.synopsis}`,
    "",
    "Options:",
    ...optionLines(command.options),
    "",
    "Global options:",
    ...optionLines(
      // A command's own option of the same name (get-schema's --version) wins.
      Object.fromEntries(
        Object.entries(globalOptions).filter(([name]) => !(name in command.options)),
      ),
    ),
  ].join("\n");
}
