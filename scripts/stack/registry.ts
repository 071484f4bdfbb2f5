/**
 * The stack's Schema Registry on 127.0.0.1:8081: Confluent's REST API for Avro
 * with Apache Avro's own compatibility checker (see registry/SchemaRegistry.java
 * for why it is not a third-party server).
 */
import {
  isListening,
  logFile,
  resolveJars,
  stackHome,
  startDetached,
  waitUntilReady,
} from "./process.ts";

/** The registry's port. */
export const registryPort = 8081;
/** The URL clients use. */
export const registryBaseUrl = `http://127.0.0.1:${registryPort}`;

const home = `${stackHome}/registry`;
const libs = `${home}/libs`;
const pom = new URL("./registry/pom.xml", import.meta.url).pathname;
const source = new URL("./registry/SchemaRegistry.java", import.meta.url).pathname;

/** True when the registry answers its API, not merely accepts connections. */
export async function registryAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`${registryBaseUrl}/subjects`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts the registry unless something already listens on its port; returns the pid it started. */
export async function startRegistry(): Promise<number | undefined> {
  if (await isListening(registryPort)) {
    console.log(`registry: already listening on ${registryBaseUrl}`);
    await waitUntilReady("registry", registryAnswers, 30_000);
    return undefined;
  }
  await Deno.mkdir(home, { recursive: true });
  await resolveJars("registry", pom, libs);
  const pid = await startDetached("registry", [
    "java",
    "-Xmx192m",
    "-XX:+UseSerialGC",
    "-cp",
    `${libs}/*`,
    source,
    String(registryPort),
  ]);
  console.log(`registry: started pid ${pid}, log ${logFile("registry")}`);
  await waitUntilReady("registry", registryAnswers, 60_000);
  return pid;
}
