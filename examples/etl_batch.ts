/**
 * An ETL batch job: raw page views are read in batches with the BatchSettings profile,
 * aggregated per page, and the aggregates written with produceMany. A view's offset is
 * committed only after the batch holding it was written (at-least-once): each handler
 * waits for its batch.
 *
 *   deno run -A examples/etl_batch.ts     # memory:// and mock:// unless
 *   bun examples/etl_batch.ts             # KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL
 *   node --import tsx examples/etl_batch.ts  # name a real cluster
 */
import * as v from "valibot";
import { AsyncConsumerLoop, BatchSettings, close, defineModel, type ModelOutput } from "../mod.ts";
import { connectExample } from "./example_connection.ts";

connectExample();
const run = Date.now();

const PageView = defineModel(
  "PageView",
  v.object({ user: v.string(), page: v.string(), duration_ms: v.pipe(v.number(), v.integer()) }),
  { topic: `page-views-${run}`, consumerGroup: `etl-${run}`, namespace: "com.example.analytics" },
);
const PageStats = defineModel(
  "PageStats",
  v.object({
    batch: v.pipe(v.number(), v.integer()),
    page: v.string(),
    views: v.pipe(v.number(), v.integer()),
    unique_users: v.pipe(v.number(), v.integer()),
    total_duration_ms: v.pipe(v.number(), v.integer()),
  }),
  { topic: `page-stats-${run}`, keyField: "page", namespace: "com.example.analytics" },
);
type View = ModelOutput<typeof PageView>;

// Extract: the raw input a job would find waiting.
const pages = ["/home", "/pricing", "/docs", "/blog"];
const views: View[] = Array.from({ length: 1200 }, (_, i) => ({
  user: `u-${i % 37}`,
  page: pages[i % pages.length],
  duration_ms: 100 + (i % 50) * 10,
}));
await PageView.ensureTopic({ partitions: 3 });
await PageStats.ensureTopic({ partitions: 3 });
await PageView.produceMany(views);
console.log(`extract: ${views.length} raw page views on ${PageView.settings.topic}`);

// Transform + load: a batch is written when full or after a short linger.
const batchSize = 400;
interface Batch {
  readonly rows: View[];
  readonly written: Promise<void>;
  seal(): void;
}
let open: Batch | undefined;
let batches = 0;
let summaries = 0;
let loaded = 0;

function openBatch(): Batch {
  let seal!: () => void;
  const sealed = new Promise<void>((resolve) => seal = resolve);
  const batch: Batch = {
    rows: [],
    written: sealed.then(() => writeBatch(batch.rows)),
    seal: () => {
      if (open === batch) open = undefined;
      seal();
    },
  };
  setTimeout(batch.seal, 250);
  return batch;
}

async function writeBatch(rows: View[]): Promise<void> {
  const number = ++batches;
  const byPage = new Map<string, { views: number; users: Set<string>; duration: number }>();
  for (const row of rows) {
    const stats = byPage.get(row.page) ?? { views: 0, users: new Set(), duration: 0 };
    stats.views++;
    stats.users.add(row.user);
    stats.duration += row.duration_ms;
    byPage.set(row.page, stats);
  }
  await PageStats.produceMany(
    [...byPage].map(([page, stats]) => ({
      batch: number,
      page,
      views: stats.views,
      unique_users: stats.users.size,
      total_duration_ms: stats.duration,
    })),
  );
  summaries += byPage.size;
  loaded += rows.length;
  console.log(`batch ${number}: ${rows.length} views -> ${byPage.size} page summaries`);
  if (loaded === views.length) loop.stop(); // a batch job ends when its input is done
}

const loop = new AsyncConsumerLoop({
  model: PageView,
  settings: BatchSettings({ pollBatchSize: batchSize }),
  maxConcurrent: batchSize, // every view of a batch waits at once
  fromBeginning: true,
  handler: (view) => {
    const batch = open ??= openBatch();
    batch.rows.push(view);
    if (batch.rows.length === batchSize) batch.seal();
    return batch.written; // the loop commits this view's offset once its batch is written
  },
});
await loop.run();
console.log(`committed: ${loop.stats.processed} views processed, ${loop.stats.failed} failed`);

// Check: the aggregates add up to the input.
const totals = new Map<string, number>();
let read = 0;
for await (const message of PageStats.consume({ groupId: `report-${run}`, fromBeginning: true })) {
  if (message.tombstone) continue; // none are written here; a compacted topic could hold some
  totals.set(message.value.page, (totals.get(message.value.page) ?? 0) + message.value.views);
  if (++read === summaries) break;
}
for (const page of pages) console.log(`page ${page}: ${totals.get(page)} views`);
await close();
console.log("done");
