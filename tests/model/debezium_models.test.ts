/**
 * A model made from Debezium's registered value schema (issue #16: `flowodm generate` and
 * `modelFromRegistry` used as is) reads the change events Debezium writes: Confluent's wire format
 * with Debezium's schema id, resolved against the model's schema. Debezium's Avro converter is
 * stood in for by avsc writing with Debezium's own schema (captured from a PostgreSQL connector).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { modelFromAvro, modelFromRegistry } from "../../src/model/model_from_avro.ts";
import { debeziumRecord, envelopeSchema, updateEvent } from "../avro/debezium_envelope.ts";

// Null optional fields read back absent, as the model's v.optional() fields hold them.
const { xmin: _x, origin: _o, origin_lsn: _l, ...source } = updateEvent.source;
const expected = { ...updateEvent, source };

for (const kind of ["mock", "real"] as const) {
  test(`a model from Debezium's subject reads Debezium's change event (${kind} registry)`, {
    timeout: 60_000,
  }, async () => {
    const scope = uniqueName("dbz");
    const connection = new Connection({
      bootstrapServers: `memory://${scope}`,
      schemaRegistryUrl: kind === "mock" ? `mock://${scope}` : registryUrl(),
    });
    const subject = `${scope}.public.customers-value`;
    const bytes = await debeziumRecord(connection, subject);
    const topic = `${scope}.public.customers`;
    const fromRegistry = await modelFromRegistry(subject, { topic, connection });
    assert.equal(fromRegistry.name, "Envelope");
    assert.deepEqual(fromRegistry.avroSchema, envelopeSchema, "the schema Debezium registered");
    assert.deepEqual(await fromRegistry.decode(bytes), expected);
    const fromAvro = modelFromAvro(envelopeSchema, { topic, connection });
    const event = await fromAvro.decode(bytes);
    assert.deepEqual(event, expected);
    assert.equal(typeof (event.source as { ts_ns: unknown }).ts_ns, "bigint", "exact past 2^53");
    // The model writes what it reads: its own bytes decode to the same event.
    assert.deepEqual(await fromAvro.decode(await fromAvro.encode(event)), expected);
  });
}
