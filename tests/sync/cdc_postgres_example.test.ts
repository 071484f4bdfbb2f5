/** examples/cdc_postgres.ts on this runtime against the real stack (Kafka, registry, Connect, PostgreSQL). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runtime } from "../support.ts";
import { kafkaConnectUrl, postgresUrl, runCommand } from "../connect/connect_support.ts";

const root = new URL("../../", import.meta.url).pathname;
const example = `${root}examples/cdc_postgres.ts`;
const commands = {
  deno: ["deno", ["run", "-A", example]],
  bun: ["bun", [example]],
  node: ["node", ["--import", "tsx", example]],
} as const;

test("examples/cdc_postgres.ts keeps a replica of a PostgreSQL table through Debezium", {
  timeout: 240_000,
}, async () => {
  const [command, args] = commands[runtime];
  const run = await runCommand(command, [...args], {
    KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(),
    SCHEMA_REGISTRY_URL: registryUrl(),
    KAFKA_CONNECT_URL: kafkaConnectUrl(),
    FLOWODM_POSTGRES_URL: postgresUrl(),
  }, root);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.match(lines[0], /^connector cdc_\w+-customers: created$/);
  assert.match(lines[1], /^connector cdc_\w+-customers: RUNNING$/);
  assert.deepEqual(lines.slice(2), [
    "insert 1: Ada <ada@example.org>",
    "insert 2: Linus <linus@example.org>",
    "update 1: Ada Lovelace <ada@example.org>",
    "delete 2 (change event)",
    "delete 2 (tombstone)",
    "replica: 1=Ada Lovelace <ada@example.org>",
    "sync: 3 upserts, 2 deletes, 0 dead-lettered",
  ]);
});
