/**
 * CDC from PostgreSQL: Debezium's PostgreSQL connector, defined in code and
 * published to Kafka Connect, streams a table's changes; a SyncLoop keeps an
 * in-memory replica in step with them (inserts, updates, deletes and the
 * delete's tombstone, in order). Debezium's full change events are read here
 * (no transform); see the README for the flattened form and routing.
 *
 * It needs the whole stack: `deno task stack:up --connect` starts Kafka, the
 * registry, Kafka Connect with Debezium and PostgreSQL 15; then
 *
 *   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 SCHEMA_REGISTRY_URL=http://127.0.0.1:8081 \
 *   KAFKA_CONNECT_URL=http://127.0.0.1:8083 \
 *   FLOWODM_POSTGRES_URL=postgresql://postgres:postgres@127.0.0.1:25432/postgres \
 *   deno run -A examples/cdc_postgres.ts      # or bun, or node --import tsx
 *
 * SQL goes through `psql` to keep the example free of a database driver; an
 * application would use its own (pg, postgres.js, ...).
 */
import { execFile } from "node:child_process";
import process from "node:process";
import {
  close,
  connect,
  ConnectClient,
  defineConnector,
  publishConnector,
  SyncLoop,
  waitForRunning,
} from "../mod.ts";

const postgres = process.env.FLOWODM_POSTGRES_URL;
if (!process.env.KAFKA_CONNECT_URL || !postgres || !process.env.KAFKA_BOOTSTRAP_SERVERS) {
  console.error(
    "cdc_postgres needs KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, KAFKA_CONNECT_URL and " +
      "FLOWODM_POSTGRES_URL: run `deno task stack:up --connect` and export them (see the header)",
  );
  process.exit(2);
}
const pg = new URL(postgres);
const sql = (statement: string) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      "psql",
      [postgres, "-v", "ON_ERROR_STOP=1", "-Atqc", statement],
      (error, stdout, stderr) =>
        error ? reject(new Error(stderr || String(error))) : resolve(stdout),
    )
  );

const connection = connect();
const run = `cdc_${Date.now().toString(36)}`;
const table = `${run}_customers`;
const topic = `${run}.public.${table}`;

// The connector, as a connectors module would export it for `flowodm connect --publish`.
const customersCdc = defineConnector({
  name: `${run}-customers`,
  config: {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "database.hostname": pg.hostname,
    "database.port": pg.port || "5432",
    "database.user": decodeURIComponent(pg.username),
    "database.password": decodeURIComponent(pg.password), // masked by flowodm connect
    "database.dbname": pg.pathname.slice(1),
    "topic.prefix": run,
    "plugin.name": "pgoutput",
    "slot.name": run,
    "slot.drop.on.stop": true,
    "publication.name": `${run}_pub`,
    "publication.autocreate.mode": "filtered",
    "table.include.list": `public.${table}`,
    "topic.creation.default.replication.factor": 1,
    "topic.creation.default.partitions": 1,
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  },
});

await sql(`create table ${table} (id int primary key, name text not null, email text not null)`);
const admin = await (await connection.transport()).admin();
await admin.ensureTopic({ topic, partitions: 1 });
await admin.close();

const client = new ConnectClient();
console.log(`connector ${customersCdc.name}: ${await publishConnector(client, customersCdc)}`);
const health = await waitForRunning(client, customersCdc.name, 120_000);
console.log(`connector ${customersCdc.name}: ${health.running ? "RUNNING" : health.trace}`);

type Customer = { id: number; name: string; email: string };
const replica = new Map<number, Customer>();
const loop = new SyncLoop<number, Customer>({
  topic,
  groupId: `${run}-replica`,
  debezium: true,
  lookupKey: (key) => (key as { id: number }).id,
  transform: { email: (email) => String(email).toLowerCase() },
  store: {
    upsert: (id, row, ctx) => {
      replica.set(id, row);
      console.log(`${ctx.op === "c" ? "insert" : "update"} ${id}: ${row.name} <${row.email}>`);
    },
    delete: (id, ctx) => {
      replica.delete(id);
      console.log(`delete ${id} (${ctx.op === "d" ? "change event" : "tombstone"})`);
    },
  },
  deadLetter: true,
  fromBeginning: true,
  handleSignals: false,
  logger: { info() {}, warn: console.warn, error: console.error },
});
const running = loop.run();

await sql(
  `insert into ${table} values (1, 'Ada', 'ADA@EXAMPLE.ORG'), (2, 'Linus', 'linus@example.org')`,
);
await sql(`update ${table} set name = 'Ada Lovelace' where id = 1`);
await sql(`delete from ${table} where id = 2`);

const deadline = Date.now() + 120_000;
while (loop.syncStats.deletes < 2 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
loop.stop();
await running;
console.log(
  `replica: ${[...replica.values()].map((c) => `${c.id}=${c.name} <${c.email}>`).join(", ")}`,
);
console.log(
  `sync: ${loop.syncStats.upserts} upserts, ${loop.syncStats.deletes} deletes, ` +
    `${loop.stats.deadLettered} dead-lettered`,
);

await client.delete(customersCdc.name);
for (let i = 0; i < 60; i++) {
  const slot = await sql(`select active from pg_replication_slots where slot_name = '${run}'`);
  if (slot.trim() === "") break;
  if (slot.trim() === "f") await sql(`select pg_drop_replication_slot('${run}')`).catch(() => {});
  else await new Promise((resolve) => setTimeout(resolve, 500));
}
await sql(`drop table ${table}; drop publication if exists ${run}_pub`);
await close();
