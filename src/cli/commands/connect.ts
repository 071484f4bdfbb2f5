/**
 * `flowodm connect`: validates, publishes and checks the Kafka Connect
 * connectors a module exports (values of `defineConnector`).
 *
 * @module
 */
import process from "node:process";
import { ConnectClient } from "../../connect/client.ts";
import { type Connector, isConnector } from "../../connect/connector.ts";
import { describeStatus, publishConnector, waitForRunning } from "../../connect/publish.ts";
import { maskConfig, secretValues } from "../../connect/secrets.ts";
import { ConfigError, ConnectError } from "../../errors.ts";
import { type Command, optional } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { importModule } from "../load_models.ts";
import type { Output } from "../output.ts";

interface Outcome {
  name: string;
  fullName: string;
  connectorClass: string;
  markForRemoval: boolean;
  config: Record<string, string>;
  /** absent, same, differs (without --publish) */
  current?: string;
  validation?: { errorCount: number; fields: { name: string; errors: readonly string[] }[] };
  action?: string;
  state?: string;
  running?: boolean;
  trace?: string;
  errors: string[];
}

async function loadConnectors(path: string, only: string | undefined): Promise<Connector[]> {
  const exports = await importModule(path, "--connectors");
  const found = [...new Set(Object.values(exports).filter(isConnector))];
  if (found.length === 0) {
    throw new ConfigError(
      `${path} exports no connector: export the values defineConnector() returns, e.g. \`export const cdc = defineConnector({...})\``,
    );
  }
  if (!only) return found;
  const names = only.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !found.some((c) => c.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `--only names no connector of ${path}: ${unknown.join(", ")}; its connectors: ${
        found.map((c) => c.name).join(", ")
      }`,
    );
  }
  return found.filter((c) => names.includes(c.name));
}

/** A failure of one connector's request becomes a note on it; an unreachable Connect stops everything. */
async function step(outcome: Outcome, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof ConnectError) || error.status === undefined) throw error;
    outcome.errors.push(error.message);
  }
}

function waitSeconds(raw: string | undefined): number {
  const seconds = Number(raw ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigError(`--wait ${raw} is not a number of seconds`);
  }
  return seconds;
}

function report(output: Output, outcomes: Outcome[]): void {
  output.table(
    ["CONNECTOR", "CLASS", "VALIDATION", "ACTION", "STATE"],
    outcomes.map((o) => [
      o.fullName,
      o.connectorClass.split(".").at(-1)!,
      o.validation === undefined
        ? "-"
        : o.validation.errorCount === 0
        ? { text: "ok", paint: output.paint.green }
        : {
          text: `${o.validation.errorCount} error${o.validation.errorCount === 1 ? "" : "s"}`,
          paint: output.paint.red,
        },
      o.action ?? o.current ?? "-",
      o.state === undefined ? "-" : {
        text: o.state,
        paint: o.running ? output.paint.green : o.running === false ? output.paint.red : String,
      },
    ]),
  );
  for (const o of outcomes) {
    for (const field of o.validation?.fields ?? []) {
      for (const error of field.errors) output.text(`  ${o.fullName}: ${field.name}: ${error}`);
    }
    for (const error of o.errors) output.text(`  ${o.fullName}: ${error}`);
    if (o.trace) output.text(`  ${o.fullName}: failed with:\n${indent(o.trace)}`);
  }
}

function indent(text: string): string {
  return text.split("\n").slice(0, 40).map((line) => `    ${line}`).join("\n");
}

/** The `connect` command. */
export const connectCommand: Command = {
  name: "connect",
  summary: "validate, publish and check the Kafka Connect connectors a module exports",
  synopsis:
    "[--connectors <module>] [--only <name,...>] [--validate] [--publish] [--check-status] [--ignore-failures]",
  options: {
    connectors: {
      type: "string",
      value: "<module>",
      description: "module exporting defineConnector() values (default ./connectors.ts)",
    },
    only: { type: "string", value: "<name,...>", description: "only these connectors" },
    validate: { type: "boolean", description: "validate each config with its connector plugin" },
    publish: {
      type: "boolean",
      description: "create or update each connector; delete those marked for removal",
    },
    "check-status": {
      type: "boolean",
      description: "wait until each connector and its tasks run; print the failure's trace",
    },
    "ignore-failures": {
      type: "boolean",
      description: "report failed connectors but exit 0 (Connect unreachable still exits 3)",
    },
    wait: {
      type: "string",
      value: "<seconds>",
      description: "how long --check-status waits for RUNNING (default 60)",
    },
    "connect-url": {
      type: "string",
      value: "<url>",
      description: "Kafka Connect REST URL (default: $KAFKA_CONNECT_URL)",
    },
  },
  async run({ output }, values) {
    const path = optional(values, "connectors") ?? "./connectors.ts";
    const waitMs = waitSeconds(optional(values, "wait")) * 1000;
    const connectors = await loadConnectors(path, optional(values, "only"));
    const client = new ConnectClient({ url: optional(values, "connect-url") });
    const auth = process.env.KAFKA_CONNECT_BASIC_AUTH_USER_INFO;
    output.addSecrets([
      ...connectors.flatMap((c) => secretValues(c.stringConfig)),
      ...(auth?.includes(":") ? [auth, auth.slice(auth.indexOf(":") + 1)] : []),
    ]);
    const doValidate = Boolean(values.validate);
    const doPublish = Boolean(values.publish);
    const doCheck = Boolean(values["check-status"]);
    const outcomes: Outcome[] = connectors.map((c) => ({
      name: c.name,
      fullName: client.fullName(c.name),
      connectorClass: c.connectorClass,
      markForRemoval: Boolean(c.markForRemoval),
      config: maskConfig(c.stringConfig),
      errors: [],
    }));
    for (const [i, connector] of connectors.entries()) {
      const outcome = outcomes[i];
      if (doValidate && !connector.markForRemoval) {
        await step(outcome, async () => {
          const result = await client.validate(connector.stringConfig, connector.name);
          outcome.validation = { errorCount: result.errorCount, fields: [...result.fields] };
        });
      }
      const invalid = outcome.errors.length > 0 || (outcome.validation?.errorCount ?? 0) > 0;
      if (doPublish && !invalid) {
        await step(outcome, async () => {
          outcome.action = await publishConnector(client, connector);
        });
      } else if (!doPublish && !doValidate && !doCheck) {
        await step(outcome, async () => {
          const current = await client.config(connector.name);
          outcome.current = connector.markForRemoval
            ? (current ? "to delete" : "absent (marked for removal)")
            : !current
            ? "absent"
            : JSON.stringify(sorted(current)) ===
                JSON.stringify(sorted({ ...connector.stringConfig, name: outcome.fullName }))
            ? "same"
            : "differs";
          outcome.state = describeStatus(await client.status(connector.name));
        });
      }
      if (doCheck && !connector.markForRemoval && outcome.errors.length === 0 && !invalid) {
        await step(outcome, async () => {
          const health = await waitForRunning(client, connector.name, waitMs);
          outcome.state = describeStatus(health.status);
          outcome.running = health.running;
          outcome.trace = health.trace;
          if (!health.running && !health.trace) {
            outcome.errors.push(`not RUNNING after ${waitMs / 1000} s: ${outcome.state}`);
          }
        });
      }
    }
    const failed = outcomes.filter((o) =>
      o.errors.length > 0 || (o.validation?.errorCount ?? 0) > 0 || o.running === false
    );
    const ok = failed.length === 0;
    output.result({ command: "connect", ok, url: client.url, connectors: outcomes });
    report(output, outcomes);
    if (!ok && values["ignore-failures"]) {
      output.warn(`${failed.length} connector(s) failed; exiting 0 because of --ignore-failures`);
      return ExitCode.ok;
    }
    return ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};

function sorted(config: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
}
