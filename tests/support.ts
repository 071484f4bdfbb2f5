/**
 * Helpers shared by the test files, which declare their tests with plain
 * `node:test` (the same API on Deno, Node with tsx, and Bun). Assertions come
 * from `node:assert/strict`, which all three ship.
 */

import { runtime, type RuntimeName } from "../src/runtime.ts";

/** The JavaScript runtime executing the tests. */
export type Runtime = RuntimeName;

/** The runtime this process is (the library's one detection, src/runtime.ts). */
export { runtime };

/**
 * Whether this runtime is one of `runtimes`: a test that belongs to some
 * runtimes only is registered inside `if (runsOn([...])) { test(...); }`, so
 * it does not exist elsewhere (it is neither passed nor skipped there).
 */
export function runsOn(runtimes: readonly Runtime[]): boolean {
  return runtimes.includes(runtime);
}

/** Reads an environment variable on any runtime. */
export function env(name: string): string | undefined {
  if (runtime === "deno") return Deno.env.get(name);
  return (globalThis as unknown as { process: { env: Record<string, string | undefined> } })
    .process.env[name];
}

/** The Kafka cluster the tests use (started by `deno task test` when none is configured). */
export function kafkaBootstrap(): string {
  return env("KAFKA_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092";
}

/** The Schema Registry the tests use. */
export function registryUrl(): string {
  return env("SCHEMA_REGISTRY_URL") ?? "http://127.0.0.1:8081/apis/ccompat/v7";
}

/** A name no other test run uses, for topics, groups and subjects. */
export function uniqueName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${runtime}-${Date.now().toString(36)}-${random}`;
}
