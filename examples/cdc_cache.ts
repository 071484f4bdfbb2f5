/**
 * CDC cache sync: Debezium-style change events (op c/u/d with before/after images, keyed
 * by product id) are applied in key order to an in-memory cache. A delete is followed by a
 * tombstone (a null value for the key, so compaction can drop the key); both remove it.
 *
 *   deno run -A examples/cdc_cache.ts     # memory:// and mock:// unless
 *   bun examples/cdc_cache.ts             # KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL
 *   node --import tsx examples/cdc_cache.ts  # name a real cluster
 */
import * as v from "valibot";
import { close, ConsumerLoop, defineModel, type ModelOutput } from "../mod.ts";
import { connectExample } from "./example_connection.ts";

connectExample();
const run = Date.now();

const Product = v.pipe(
  v.object({ id: v.string(), name: v.string(), price: v.number(), stock: v.number() }),
  v.title("Product"),
);
const ProductChange = defineModel(
  "ProductChange",
  v.object({
    op: v.picklist(["c", "u", "d"]),
    id: v.string(),
    before: v.nullable(Product),
    after: v.nullable(Product),
    ts: v.date(),
  }),
  {
    topic: `cdc-products-${run}`,
    consumerGroup: `cache-${run}`,
    keyField: "id",
    namespace: "com.example.cdc",
  },
);
type Change = ModelOutput<typeof ProductChange>;
type ProductRow = NonNullable<Change["after"]>;
await ProductChange.ensureTopic({ partitions: 3 });

// The source database's history, as its change stream.
const lamp = { id: "p-1", name: "Lamp", price: 30, stock: 5 };
const desk = { id: "p-2", name: "Desk", price: 220, stock: 2 };
const chair = { id: "p-3", name: "Chair", price: 85, stock: 10 };
const mug = { id: "p-4", name: "Mug", price: 9, stock: 40 };
const change = (op: Change["op"], before: ProductRow | null, after: ProductRow | null) => ({
  op,
  id: (after ?? before)!.id,
  before,
  after,
  ts: new Date(),
});
const history = [
  change("c", null, lamp),
  change("c", null, desk),
  change("c", null, chair),
  change("u", lamp, { ...lamp, price: 25 }),
  change("d", desk, null),
  change("u", chair, { ...chair, stock: 7 }),
  change("c", null, mug),
  change("d", mug, null),
];
// One at a time: the order of events of one key is the order they happened in.
for (const event of history) await ProductChange.produce(event);
const tombstones = ["p-2", "p-4"];
for (const id of tombstones) await ProductChange.tombstone(id);
console.log(`source wrote ${history.length} change events and ${tombstones.length} tombstones`);

const cache = new Map<string, ProductRow>();
let applied = 0;
const countApplied = () => {
  if (++applied === history.length + tombstones.length) loop.stop();
};
const loop = new ConsumerLoop({
  model: ProductChange,
  fromBeginning: true,
  // Tombstones carry only the key; without this hook they would go to the dead letter topic.
  onTombstone: (context) => {
    const id = context.key!;
    cache.delete(id);
    console.log(`tombstone ${id}: evicted`);
    countApplied();
  },
  handler: (event, context) => {
    const id = context.key!;
    if (event.op === "d") {
      cache.delete(id);
      console.log(`delete ${id}: evicted ${event.before?.name}`);
    } else {
      cache.set(id, event.after!);
      const what = event.op === "c" ? "created" : "updated";
      console.log(
        `${what} ${id}: ${event.after!.name} ${event.after!.price} (stock ${event.after!.stock})`,
      );
    }
    countApplied();
  },
});
await loop.run();

console.log(`cache holds ${cache.size} products:`);
for (const [id, product] of [...cache].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`cache ${id} = ${product.name}, price ${product.price}, stock ${product.stock}`);
}
await close();
console.log("done");
