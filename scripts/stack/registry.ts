/**
 * The stack's Schema Registry: Apicurio Registry 3.3.3 on 127.0.0.1:8081 (its
 * management interface on 127.0.0.1:8082), Confluent's API at
 * `/apis/ccompat/v7`, schemas kept in an H2 file under `.flowodm/stack/registry`.
 * See apicurio.ts for how it is installed and run.
 */
import {
  apicurioCommand,
  apicurioVersion,
  ccompatAnswers,
  ccompatPath,
  installApicurio,
  setConfluentDefaults,
  waitForApicurio,
} from "./apicurio.ts";
import { isListening, logFile, stackHome, startDetached, waitUntilReady } from "./process.ts";

/** The registry's HTTP port. */
export const registryPort = 8081;
/** Its management (health, metrics) port; Quarkus would bind 0.0.0.0:9000 otherwise. */
export const registryManagementPort = 8082;
/** The URL clients use: Apicurio's Confluent-compatible API. */
export const registryBaseUrl = `http://127.0.0.1:${registryPort}${ccompatPath}`;

const dataDir = `${stackHome}/registry/data`;

/** True when the registry answers Confluent's API, not merely accepts connections. */
export function registryAnswers(): Promise<boolean> {
  return ccompatAnswers(registryBaseUrl);
}

/** What answers on the registry port, e.g. "Apicurio Registry 3.3.3", for `stack:status`. */
export async function registryName(): Promise<string | undefined> {
  try {
    const response = await fetch(
      `http://127.0.0.1:${registryPort}/apis/registry/v3/system/info`,
      { signal: AbortSignal.timeout(3_000) },
    );
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const info = await response.json() as { name?: string; version?: string };
    return `${info.name ?? "Apicurio Registry"} ${info.version ?? ""}`.trim();
  } catch {
    return undefined;
  }
}

/**
 * Starts the registry unless something already listens on its port; returns
 * the pid it started. Other ports are for trying the stack's start beside a
 * running stack.
 */
export async function startRegistry(
  port = registryPort,
  managementPort = registryManagementPort,
): Promise<number | undefined> {
  const baseUrl = `http://127.0.0.1:${port}${ccompatPath}`;
  if (await isListening(port)) {
    console.log(`registry: already listening on ${baseUrl}`);
    await waitUntilReady("registry", () => ccompatAnswers(baseUrl), 60_000).catch(() => {
      throw new Error(
        `something listens on 127.0.0.1:${port} but does not answer ${baseUrl} within 60 s: ` +
          `not Apicurio, or not ready; stop it (deno task stack:down) and run stack:up again`,
      );
    });
    return undefined;
  }
  const started = Date.now();
  const { java, jar } = await installApicurio();
  const installed = Date.now();
  // The jars of the registry this stack ran before Apicurio, if an older checkout left them.
  await Deno.remove(`${stackHome}/registry/libs`, { recursive: true }).catch(() => {});
  await Deno.mkdir(dataDir, { recursive: true });
  const pid = await startDetached(
    "registry",
    apicurioCommand(java, jar, { port, managementPort, dataDir }),
  );
  console.log(
    `registry: started Apicurio Registry ${apicurioVersion}, pid ${pid}, log ${
      logFile("registry")
    }`,
  );
  await waitForApicurio(baseUrl, pid, logFile("registry"), 300_000);
  await setConfluentDefaults(baseUrl);
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `registry: ready at ${baseUrl} (install ${seconds(installed - started)} s, ` +
      `start ${seconds(Date.now() - installed)} s)`,
  );
  return pid;
}
