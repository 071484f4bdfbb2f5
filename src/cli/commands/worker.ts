/**
 * `flowodm worker`: runs the loops a consumers module exports, in one
 * process, until SIGTERM/SIGINT; see `runWorker`.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import type { LoopLogger } from "../../loop/logger.ts";
import { isWorkerLoop, runWorker } from "../../worker/run_worker.ts";
import type { LoopEntry } from "../../worker/types.ts";
import { type Command, optional, required } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { importModule } from "../load_models.ts";
import { provideTransport } from "../../transport/select.ts";
import { runtime } from "../../runtime.ts";

/** The loops and loop factories a module exports, by export name. */
export async function loadConsumers(path: string): Promise<Record<string, LoopEntry>> {
  const exports = await importModule(path);
  const loops: Record<string, LoopEntry> = {};
  for (const [name, value] of Object.entries(exports)) {
    // Functions are factories; anything else that is not a loop (models, helpers) is left alone.
    if (isWorkerLoop(value) || typeof value === "function") loops[name] = value as LoopEntry;
  }
  if (Object.keys(loops).length === 0) {
    throw new ConfigError(
      `${path} exports no loop: export ConsumerLoop/AsyncConsumerLoop instances or functions returning one, e.g. \`export const orders = new ConsumerLoop({...})\``,
    );
  }
  return loops;
}

function integer(raw: string | undefined, option: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ConfigError(`--${option} ${raw} is not valid: use a whole number from 0 to ${max}`);
  }
  return value;
}

/** Log lines on stderr, so that stdout keeps only the result. */
function stderrLogger(quiet: boolean): LoopLogger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    console.error(`[flowodm] ${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`);
  return { info: quiet ? () => {} : line("info"), warn: line("warn"), error: line("error") };
}

/** The `worker` command. */
export const worker: Command = {
  name: "worker",
  summary: "run the consumer loops a module exports, with health probes, until SIGTERM/SIGINT",
  synopsis:
    "--consumers <module> [--only <a,b>] [--health-port <n>] [--health-host <host>] [--max-restarts <n>]",
  options: {
    consumers: {
      type: "string",
      value: "<module>",
      description: "a module exporting ConsumerLoop/AsyncConsumerLoop instances or factories",
    },
    only: { type: "string", value: "<a,b>", description: "run only these exports" },
    "health-port": {
      type: "string",
      value: "<n>",
      description: "serve /livez, /readyz and /stats on this port",
    },
    "max-restarts": {
      type: "string",
      value: "<n>",
      description: "restarts of a crashing loop before the worker gives up (default 5)",
    },
    "health-host": {
      type: "string",
      value: "<host>",
      description: "the health server's address (default 127.0.0.1)",
    },
  },
  async run({ output }, values) {
    const path = required(values, "consumers", "worker");
    const only = optional(values, "only")?.split(",").map((name) => name.trim()).filter(Boolean);
    const healthPort = integer(optional(values, "health-port"), "health-port", 65_535);
    const maxRestarts = integer(optional(values, "max-restarts"), "max-restarts", 1_000);
    const host = optional(values, "health-host");
    if (runtime !== "node") {
      // Imported by a literal path, so that a compiled binary embeds the ffi transport.
      provideTransport("ffi", await import("../../transport/ffi/mod.ts"));
    }
    const loops = await loadConsumers(path);
    const names = Object.keys(loops).filter((name) => !only || only.includes(name));
    await runWorker(loops, {
      only,
      maxRestarts,
      health: healthPort === undefined ? undefined : { port: healthPort, host },
      logger: stderrLogger(Boolean(values.quiet)),
    });
    output.result({ command: "worker", ok: true, loops: names });
    output.text(`worker stopped: ${names.join(", ")}`);
    return ExitCode.ok;
  },
};
