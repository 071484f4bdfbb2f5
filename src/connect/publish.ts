/**
 * The steps `flowodm connect` takes for each connector: publish (create,
 * update or delete) and wait until it and its tasks run.
 *
 * @module
 */
import type { ConnectClient } from "./client.ts";
import type { Connector } from "./connector.ts";
import type { ConnectorStatus } from "./types.ts";

/** What publishing did to one connector. */
export type PublishAction = "created" | "updated" | "unchanged" | "deleted" | "absent";

/**
 * Creates or updates a connector (unchanged configs are left alone, so the
 * connector is not restarted), or deletes one marked for removal.
 *
 * @example
 * ```ts
 * import { ConnectClient, publishConnector } from "@flowodm/flowodm";
 * import { customers } from "./connectors.ts";
 * console.log(await publishConnector(new ConnectClient(), customers)); // "created"
 * ```
 */
export async function publishConnector(
  client: ConnectClient,
  connector: Connector,
): Promise<PublishAction> {
  if (connector.markForRemoval) {
    return await client.delete(connector.name) ? "deleted" : "absent";
  }
  const current = await client.config(connector.name);
  if (current && sameConfig(current, connector.stringConfig)) return "unchanged";
  const created = await client.putConfig(connector.name, connector.stringConfig);
  return created ? "created" : "updated";
}

function sameConfig(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  const keys = (c: Readonly<Record<string, string>>) =>
    Object.keys(c).filter((k) => k !== "name").sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** How a connector ended up after waiting for it. */
export interface ConnectorHealth {
  /** True when the connector and every task (at least one) are RUNNING. */
  readonly running: boolean;
  /** The last status read; undefined when Connect has no such connector. */
  readonly status?: ConnectorStatus;
  /** The first failure's stack trace from Connect, when something FAILED. */
  readonly trace?: string;
}

/**
 * Polls a connector's status until it and all its tasks are RUNNING, one of
 * them FAILED, or `timeoutMs` passed.
 *
 * @example
 * ```ts
 * import { ConnectClient, waitForRunning } from "@flowodm/flowodm";
 * const health = await waitForRunning(new ConnectClient(), "customers-cdc", 60_000);
 * if (!health.running) console.error(health.trace);
 * ```
 */
export async function waitForRunning(
  client: ConnectClient,
  name: string,
  timeoutMs: number,
  pollMs = 1_000,
): Promise<ConnectorHealth> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const status = await client.status(name);
    const failed = status && [status.connector, ...status.tasks].find((s) => s.state === "FAILED");
    if (failed) return { running: false, status, trace: failed.trace ?? "(Connect gave no trace)" };
    if (
      status && status.connector.state === "RUNNING" && status.tasks.length > 0 &&
      status.tasks.every((task) => task.state === "RUNNING")
    ) return { running: true, status };
    if (Date.now() >= deadline) return { running: false, status };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** One line describing a status, e.g. `RUNNING (tasks: 0 RUNNING)`. */
export function describeStatus(status: ConnectorStatus | undefined): string {
  if (!status) return "not found";
  const tasks = status.tasks.map((t) => `${t.id} ${t.state}`).join(", ") || "none yet";
  return `${status.connector.state} (tasks: ${tasks})`;
}
