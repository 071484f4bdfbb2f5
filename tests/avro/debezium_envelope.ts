/**
 * A Debezium 3.x PostgreSQL change event's value schema, as its Avro converter registers it
 * (captured from the stack's registry, plus columns of Debezium's time and decimal types), and
 * one record of it. Not a test: the fixture of the tests that read Debezium's records.
 */
import { compileAvroWriter } from "../../src/avro/logical_types.ts";
import type { Connection } from "../../src/config/connection.ts";

const connect = (name: string, extra: Record<string, unknown> = {}) => ({
  "connect.version": 1,
  ...extra,
  "connect.name": name,
});
const optional = (type: unknown) => ({ type: ["null", type], default: null });

/** The value schema of topic `shop.public.customers`. */
export const envelopeSchema = {
  type: "record",
  name: "Envelope",
  namespace: "shop.public.customers",
  fields: [
    {
      name: "before",
      ...optional({
        type: "record",
        name: "Value",
        fields: [
          { name: "id", type: "int" },
          { name: "name", type: "string" },
          {
            name: "price",
            ...optional({
              type: "bytes",
              scale: 2,
              precision: 10,
              ...connect("org.apache.kafka.connect.data.Decimal", {
                "connect.parameters": { scale: "2", "connect.decimal.precision": "10" },
              }),
              logicalType: "decimal",
            }),
          },
          {
            name: "created_at",
            ...optional({ type: "long", ...connect("io.debezium.time.MicroTimestamp") }),
          },
          { name: "birthday", ...optional({ type: "int", ...connect("io.debezium.time.Date") }) },
          {
            name: "seen",
            ...optional({ type: "string", ...connect("io.debezium.time.ZonedTimestamp") }),
          },
          {
            name: "tier",
            ...optional({
              type: "string",
              ...connect("io.debezium.data.Enum", {
                "connect.parameters": { allowed: "free,pro" },
              }),
            }),
          },
        ],
        "connect.name": "shop.public.customers.Value",
      }),
    },
    { name: "after", ...optional("Value") },
    {
      name: "source",
      type: {
        type: "record",
        name: "Source",
        namespace: "io.debezium.connector.postgresql",
        fields: [
          { name: "version", type: "string" },
          { name: "connector", type: "string" },
          { name: "name", type: "string" },
          { name: "ts_ms", type: "long" },
          {
            name: "snapshot",
            type: [
              {
                type: "string",
                ...connect("io.debezium.data.Enum", {
                  "connect.parameters": {
                    allowed:
                      "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental",
                  },
                  "connect.default": "false",
                }),
              },
              "null",
            ],
            default: "false",
          },
          { name: "db", type: "string" },
          { name: "sequence", ...optional("string") },
          { name: "ts_us", ...optional("long") },
          { name: "ts_ns", ...optional("long") },
          { name: "schema", type: "string" },
          { name: "table", type: "string" },
          { name: "txId", ...optional("long") },
          { name: "lsn", ...optional("long") },
          { name: "xmin", ...optional("long") },
          { name: "origin", ...optional("string") },
          { name: "origin_lsn", ...optional("long") },
        ],
        ...connect("io.debezium.connector.postgresql.Source"),
      },
    },
    {
      name: "transaction",
      ...optional({
        type: "record",
        name: "block",
        namespace: "event",
        fields: [
          { name: "id", type: "string" },
          { name: "total_order", type: "long" },
          { name: "data_collection_order", type: "long" },
        ],
        ...connect("event.block"),
      }),
    },
    { name: "op", type: "string" },
    { name: "ts_ms", ...optional("long") },
    { name: "ts_us", ...optional("long") },
    { name: "ts_ns", ...optional("long") },
  ],
  "connect.version": 2,
  "connect.name": "shop.public.customers.Envelope",
};

const row = {
  id: 7,
  name: "Ada",
  price: "123.45",
  created_at: 1_795_750_000_123_456,
  birthday: 20_000,
  seen: "2026-11-27T05:00:00.123456Z",
  tier: "pro",
};

/** An update (op "u") as Debezium writes it, as values of {@link writerType}. */
export const updateEvent = {
  before: { ...row, name: "Ad" },
  after: row,
  source: {
    version: "3.6.1.Final",
    connector: "postgresql",
    name: "shop",
    ts_ms: 1_795_750_000_100,
    snapshot: "false",
    db: "shop",
    sequence: '["24023928","24023928"]',
    ts_us: 1_795_750_000_100_123,
    ts_ns: 1_795_750_000_100_123_000n, // past 2^53, as every nanosecond timestamp is
    schema: "public",
    table: "customers",
    txId: 771,
    lsn: 24_023_928,
    xmin: null,
    origin: null,
    origin_lsn: null,
  },
  transaction: { id: "771:24023928", total_order: 1, data_collection_order: 1 },
  op: "u",
  ts_ms: 1_795_750_000_200,
  ts_us: 1_795_750_000_200_456,
  ts_ns: 1_795_750_000_200_456_789n,
};

/** The writer's avsc type: Debezium's schema, decimals as strings, longs as numbers or bigints. */
export const writerType = compileAvroWriter(envelopeSchema);

/** Debezium's record in the wire format, under the id its schema got from `connection`'s registry. */
export async function debeziumRecord(connection: Connection, subject: string) {
  const id = await connection.registry().register(subject, JSON.stringify(envelopeSchema));
  const body = writerType.toBuffer(updateEvent);
  const bytes = new Uint8Array(5 + body.length);
  new DataView(bytes.buffer).setUint32(1, id);
  bytes.set(body, 5);
  return bytes;
}
