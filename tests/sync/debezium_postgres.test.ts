/**
 * End to end on the real stack: a PostgreSQL table, Debezium's PostgreSQL
 * connector published with `flowodm connect --validate --publish
 * --check-status` (the CLI from source on this runtime), and a SyncLoop
 * keeping two stores in step with the topic the connector writes both tables
 * to (ExtractNewRecordState with deletes rewritten and tombstones kept,
 * ByLogicalTableRouter merging the tables). Inserts, updates and deletes
 * arrive in order, the delete's tombstone included; a poison record goes to
 * the dead letter topic.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl } from "../support.ts";
import { ConnectClient } from "../../src/connect/client.ts";
import { Connection } from "../../src/config/connection.ts";
import { FailureHeader, headerText } from "../../src/loop/headers.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { SyncLoop } from "../../src/sync/sync_loop.ts";
import { encode, quiet, readAll, until } from "../loop/loop_support.ts";
import {
  dropSlot,
  flowodmCli,
  kafkaConnectUrl,
  postgresParts,
  sql,
  uniqueIdent,
} from "../connect/connect_support.ts";
import { converterConfig } from "./converters.ts";

const root = new URL("../../", import.meta.url).pathname;

function connectorsModule(
  id: string,
  items: string,
  tags: string,
  converters: Record<string, string>,
) {
  const pg = postgresParts();
  const config = {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "database.hostname": pg.host,
    "database.port": pg.port,
    "database.user": pg.user,
    "database.password": pg.password,
    "database.dbname": pg.database,
    "topic.prefix": id,
    "plugin.name": "pgoutput",
    "slot.name": id,
    "slot.drop.on.stop": true,
    "publication.name": `${id}_pub`,
    "publication.autocreate.mode": "filtered",
    "table.include.list": `public.${items},public.${tags}`,
    "topic.creation.default.replication.factor": 1,
    "topic.creation.default.partitions": 1,
    ...converters,
    transforms: "unwrap,route",
    "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
    "transforms.unwrap.delete.tombstone.handling.mode": "rewrite-with-tombstone",
    "transforms.unwrap.add.fields": "op,table",
    "transforms.route.type": "io.debezium.transforms.ByLogicalTableRouter",
    "transforms.route.topic.regex": `${id}\\.public\\..*`,
    "transforms.route.topic.replacement": `${id}.all`,
  };
  return `import { defineConnector } from ${JSON.stringify(`${root}mod.ts`)};\n` +
    `export const cdc = defineConnector({ name: ${JSON.stringify(id)}, config: ${
      JSON.stringify(config, null, 2)
    } });\n`;
}

test(
  `PostgreSQL inserts, updates and deletes reach a SyncLoop's stores through Debezium (${converterConfig().format})`,
  { timeout: 300_000 },
  async () => {
    const id = uniqueIdent("flowodm");
    const items = `${id}_items`;
    const tags = `${id}_tags`;
    const topic = `${id}.all`;
    const group = `${id}-sync`;
    const dir = await mkdtemp(`${tmpdir()}/flowodm-connectors-`);
    const connection = new Connection({
      bootstrapServers: kafkaBootstrap(),
      schemaRegistryUrl: registryUrl(),
    });
    const connect = new ConnectClient({ url: kafkaConnectUrl() });
    const converters = converterConfig();
    let loop: SyncLoop | undefined;
    let running: Promise<void> | undefined;
    try {
      await sql(
        `create table ${items} (id int primary key, name text not null, qty int not null);
       create table ${tags} (id int primary key, label text not null);`,
      );
      const transport = await connection.transport();
      const admin = await transport.admin();
      await admin.ensureTopic({ topic, partitions: 1 });
      await admin.close();

      await writeFile(`${dir}/connectors.ts`, connectorsModule(id, items, tags, converters.config));
      const published = await flowodmCli([
        "connect",
        "--connectors",
        `${dir}/connectors.ts`,
        "--validate",
        "--publish",
        "--check-status",
        "--wait",
        "120",
        "--json",
      ], { KAFKA_CONNECT_URL: kafkaConnectUrl() });
      assert.equal(published.code, 0, published.stdout + published.stderr);
      const report = JSON.parse(published.stdout);
      assert.equal(report.ok, true);
      assert.equal(report.connectors[0].action, "created");
      assert.equal(report.connectors[0].running, true);
      assert.equal(report.connectors[0].config["database.password"], "***");
      assert.doesNotMatch(
        published.stdout + published.stderr,
        new RegExp(`"${postgresParts().password}"`),
      );

      const itemEvents: string[] = [];
      const tagRows = new Map<number, unknown>();
      const Item = v.object({ id: v.number(), name: v.string(), qty: v.number() });
      loop = new SyncLoop({
        topic,
        groupId: group,
        connection,
        debezium: true,
        routes: {
          [`${id}.public.${items}`]: {
            rowModel: { parse: (row) => v.parse(Item, row) },
            lookupKey: (key) => (key as { id: number }).id,
            store: {
              upsert: (key, row, ctx) =>
                void itemEvents.push(`${ctx.op} ${key} ${(row as { qty: number }).qty}`),
              delete: (key, ctx) =>
                void itemEvents.push(`delete ${key} (${ctx.op ?? "tombstone"})`),
            },
          },
          [`${id}.public.${tags}`]: {
            lookupKey: (key) => (key as { id: number }).id,
            store: {
              upsert: (key, row) => void tagRows.set(key as number, row),
              delete: (key) => void tagRows.delete(key as number),
            },
          },
        },
        settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
        deadLetter: true,
        handleSignals: false,
        logger: quiet,
      });
      running = loop.run();

      await sql(`insert into ${items} values (1, 'lamp', 1), (2, 'desk', 1)`);
      await sql(`insert into ${tags} values (7, 'sale')`);
      await sql(`update ${items} set qty = 2 where id = 1`);
      await sql(`update ${tags} set label = 'clearance' where id = 7`);
      await sql(`delete from ${items} where id = 1`);
      const producer = await transport.producer();
      await producer.send([{
        topic,
        key: encode('{"id":3}'),
        value: encode("not a change event"),
      }]);
      await producer.close();

      await until(
        () => itemEvents.length >= 5 && tagRows.size === 1 && loop!.stats.deadLettered === 1,
        120_000,
        "the changes and the poison record",
      );
      assert.deepEqual(itemEvents, [
        "c 1 1",
        "c 2 1",
        "u 1 2",
        "delete 1 (d)",
        "delete 1 (tombstone)",
      ]);
      assert.deepEqual(tagRows.get(7), { id: 7, label: "clearance" });
      // Keys and values as the converter wrote them: Confluent's wire format (magic byte 0) for Avro.
      const written = (await readAll(transport, topic, 8))
        .filter((m) =>
          m.value === null || new TextDecoder().decode(m.value) !== "not a change event"
        );
      assert.equal(written.length, 7);
      const framing = converters.format === "avro" ? 0 : "{".charCodeAt(0);
      for (const record of written) {
        assert.equal(record.key![0], framing, `${converters.format} keys`);
        if (record.value !== null) {
          assert.equal(record.value[0], framing, `${converters.format} values`);
        }
      }
      const [dead] = await readAll(transport, `${group}.${topic}.dlt`, 1);
      assert.equal(new TextDecoder().decode(dead.value!), "not a change event");
      assert.equal(headerText(dead.headers, FailureHeader.errorClass), "DeserializationError");
    } finally {
      loop?.stop();
      await running?.catch(() => {});
      await connect.delete(id).catch(() => {});
      await dropSlot(id).catch(() => {});
      await connection.close();
      await rm(dir, { recursive: true, force: true });
      // Tables and publication last: the connector's task is gone with its slot.
      await sql(`drop table if exists ${items}, ${tags}; drop publication if exists ${id}_pub`)
        .catch(() => {});
    }
  },
);
