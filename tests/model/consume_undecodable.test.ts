/**
 * `Model.consume()` reads records with shared bytes (views of one buffer),
 * so the raw record its `onUndecodable` callback receives must be a copy
 * that owns its memory. Against the real broker, on every transport.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import type { RawMessage } from "../../src/loop/options.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { ownsItsBuffer } from "../../src/transport/common/owned_bytes.ts";

test(
  "consume(): an undecodable record reaches onUndecodable with bytes of its own, between good ones",
  { timeout: 120_000 },
  async () => {
    const connection = new Connection({
      bootstrapServers: kafkaBootstrap(),
      schemaRegistryUrl: registryUrl(),
    });
    const Note = defineModel("Note", v.object({ text: v.string() }), {
      topic: uniqueName("notes"),
      consumerGroup: uniqueName("note-readers"),
      connection,
    });
    try {
      await Note.ensureTopic({ partitions: 1 });
      const bad = [new Uint8Array([7, 7, 7]), new Uint8Array([0, 0, 0, 0, 0, 9])];
      const producer = await (await connection.transport()).producer();
      try {
        await Note.produce({ text: "a" });
        const topic = Note.settings.topic;
        for (const value of bad) {
          const [sent] = await producer.send([{ topic, key: null, value, headers: [] }]);
          assert.ok(sent.ok);
          await Note.produce({ text: `after ${value[0]}` });
        }
      } finally {
        await producer.close();
      }
      const raws: RawMessage[] = [];
      const texts: string[] = [];
      const onUndecodable = (_error: unknown, raw: RawMessage) => void raws.push(raw);
      for await (const msg of Note.consume({ fromBeginning: true, onUndecodable })) {
        if (!msg.tombstone) texts.push(msg.value.text);
        if (texts.length === 3) break;
      }
      assert.deepEqual(texts, ["a", "after 7", "after 0"]);
      assert.deepEqual(raws.map((raw) => raw.offset), [1, 3]);
      for (const [i, raw] of raws.entries()) {
        assert.deepEqual(raw.value, bad[i]);
        assert.ok(raw.value && ownsItsBuffer(raw.value), `record ${i} owns its bytes`);
      }
    } finally {
      await connection.close();
    }
  },
);
