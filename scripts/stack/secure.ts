/**
 * The secured stack of the security tests: a SASL/TLS Kafka node and the
 * registry behind HTTPS with basic auth, started once per test run. Tests
 * read what they need from the JSON file named by FLOWODM_SECURE_STACK.
 */
import { type SecureStack, startSecureKafka } from "./secure_kafka.ts";
import { type SecureRegistry, startSecureRegistry } from "./secure_registry.ts";
import { stackHome, stopService } from "./process.ts";

/** Everything the security tests need; passwords are throwaway test values. */
export interface SecureStackDescription extends SecureStack {
  readonly registry: SecureRegistry;
}

/** Starts (or reuses) both and writes the description; returns its path. */
export async function startSecureStack(registryUrl: string): Promise<string> {
  const started = Date.now();
  const kafka = await startSecureKafka();
  const registry = await startSecureRegistry(kafka.files, registryUrl);
  const path = `${stackHome}/secure/stack.json`;
  const description: SecureStackDescription = { ...kafka, registry };
  await Deno.writeTextFile(path, JSON.stringify(description, null, 2));
  console.log(`secure stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

/** Stops what {@link startSecureStack} started. */
export async function stopSecureStack(): Promise<void> {
  for (const service of ["secure-registry", "secure-kafka"]) {
    const stopped = await stopService(service);
    console.log(`${service}: ${stopped ? "stopped" : "not started by this stack"}`);
  }
}
