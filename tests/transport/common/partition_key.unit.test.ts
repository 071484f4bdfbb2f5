import assert from "node:assert/strict";
import { test } from "node:test";
import {
  partitionKey,
  PartitionMap,
  partitionOfKey,
} from "../../../src/transport/common/partition_key.ts";

test(
  "partitionKey: topic, NUL, partition; read back by partitionOfKey",
  { timeout: 60_000 },
  () => {
    assert.equal(partitionKey({ topic: "orders.v1", partition: 12 }), "orders.v1\u000012");
    assert.deepEqual(partitionOfKey("orders.v1\u000012"), { topic: "orders.v1", partition: 12 });
    // Extra fields of a TopicPartitionOffset do not change the key.
    assert.equal(
      partitionKey({ topic: "a", partition: 0, offset: 5 } as { topic: string; partition: number }),
      partitionKey({ topic: "a", partition: 0 }),
    );
  },
);

test("PartitionMap: keyed by partition, entries give plain pairs back", { timeout: 60_000 }, () => {
  const map = new PartitionMap<number>();
  map.set({ topic: "a", partition: 1, offset: 9 } as { topic: string; partition: number }, 1);
  map.set({ topic: "a", partition: 1 }, 2);
  map.set({ topic: "b", partition: 0 }, 3);
  assert.equal(map.size, 2);
  assert.equal(map.get({ topic: "a", partition: 1 }), 2);
  assert.equal(map.has({ topic: "a", partition: 2 }), false);
  assert.deepEqual([...map.entries()], [[{ topic: "a", partition: 1 }, 2], [
    { topic: "b", partition: 0 },
    3,
  ]]);
  assert.equal(map.delete({ topic: "a", partition: 1 }), true);
  assert.deepEqual(map.partitions(), [{ topic: "b", partition: 0 }]);
  map.clear();
  assert.equal(map.size, 0);
});

test("PartitionMap: a topic emptied and filled again keeps one entry per partition", () => {
  const map = new PartitionMap<string>();
  assert.equal(map.delete({ topic: "a", partition: 0 }), false);
  map.set({ topic: "a", partition: 0 }, "first");
  map.set({ topic: "a", partition: 1 }, "second");
  assert.equal(map.delete({ topic: "a", partition: 0 }), true);
  assert.equal(map.delete({ topic: "a", partition: 0 }), false);
  assert.equal(map.delete({ topic: "a", partition: 1 }), true);
  assert.equal(map.has({ topic: "a", partition: 1 }), false);
  map.set({ topic: "a", partition: 1 }, "again");
  map.set({ topic: "a\u00001", partition: 0 }, "other topic");
  assert.equal(map.get({ topic: "a", partition: 1 }), "again");
  assert.equal(map.get({ topic: "a\u00001", partition: 0 }), "other topic");
  assert.deepEqual(map.partitions(), [
    { topic: "a", partition: 1 },
    { topic: "a\u00001", partition: 0 },
  ]);
  assert.equal(map.size, 2);
});
