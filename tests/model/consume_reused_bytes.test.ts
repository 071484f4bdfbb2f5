/**
 * `Model.consume()` gives each record's bytes back to the consumer once it
 * is decoded, so slabs are written again (Deno and Bun): the values it
 * yielded must own everything they hold, strings and bytes alike, however
 * long the caller keeps them. Against the real broker and registry, on every
 * runtime.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";

const count = 1_200;
/** About 3 KB per record: some 20 records to a slab, so the run reuses slabs many times. */
const blobOf = (id: number) => new Uint8Array(1_500).fill(id % 251);
const textOf = (id: number) => `${id}:`.repeat(400).slice(0, 1_500);

test(
  "consume(): values kept past later records still hold their own bytes and strings",
  { timeout: 120_000 },
  async () => {
    const connection = new Connection({
      bootstrapServers: kafkaBootstrap(),
      schemaRegistryUrl: registryUrl(),
    });
    const Blob = defineModel(
      "Blob",
      v.object({ id: v.number(), text: v.string(), blob: v.instance(Uint8Array) }),
      { topic: uniqueName("blobs"), consumerGroup: uniqueName("blob-readers"), connection },
    );
    try {
      await Blob.ensureTopic({ partitions: 1 });
      const reports = await Blob.produceMany(
        Array.from({ length: count }, (_, id) => ({ id, text: textOf(id), blob: blobOf(id) })),
      );
      assert.equal(reports.length, count);
      const kept = [];
      for await (const message of Blob.consume({ fromBeginning: true })) {
        assert.ok(!message.tombstone);
        kept.push(message.value);
        if (kept.length === count) break;
      }
      const wrong = kept.filter((value, i) =>
        value.id !== i || value.text !== textOf(i) ||
        !value.blob.every((byte) => byte === i % 251) || value.blob.length !== 1_500
      ).map((value) => value.id);
      assert.deepEqual(wrong, [], "values that changed after later records were read");
    } finally {
      await connection.close();
    }
  },
);
