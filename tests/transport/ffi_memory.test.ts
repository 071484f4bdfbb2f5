/**
 * Heavy: 200 000 messages (key, 100-byte value, two headers) produced and
 * consumed through the `ffi` transport on Deno and on Bun, in a child process
 * that can force GC (tests/transport/ffi_memory_probe.ts). Every delivery report
 * event, fetch event and message must be freed exactly once, and nothing kept
 * per record on the JS side, so memory stays flat once warm: leaking one event
 * or message per record (hundreds of bytes each) over the last 150 000 would
 * add tens of megabytes.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { promisify } from "node:util";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, runtime } from "../support.ts";

/**
 * Allowed growth from 50 000 messages to 200 000, in MB: over the whole span,
 * and in the quietest of its three 50 000-message steps. A leak grows every
 * step alike; an allocator keeping pages grows in one step and then stops.
 *
 * - `malloc` (malloc's main heap and thread arenas, where librdkafka's events
 *   and messages live): leaking one per record would add 30 MB or more, 10 MB
 *   or more in every step. On Deno, JS buffers' memory is malloc'd too, and
 *   malloc keeps pages in steps: one step of up to 10 MB, at a point that
 *   varies from run to run, then flat (2 MB more over the next 600 000
 *   records). Held on Deno only: Bun's own allocator maps segments that can
 *   look like malloc's arenas.
 * - `rss`, held on Bun only: Bun's RSS swings by up to 15 MB between samples (its allocator
 *   keeps and returns pages in bursts: 76, 80.5, 76, 88.3 MB in one run, 87.7
 *   down to 70.8 in another), so its band only catches leaks of about 160
 *   bytes per record or more. Deno's RSS is not held: V8 keeps the heap's
 *   pages after collecting them, in steps at points that vary from run to run
 *   (82 to 118 MB over 50 000 to 400 000 records with 10 MB of live objects).
 * - `heapUsed` (live JS objects after a full GC): 30 bytes kept per record
 *   would add 4.5 MB.
 */
const maxGrowthMb: Record<string, { total: number; quietestStep?: number }> = runtime === "bun"
  ? { rss: { total: 24 }, heapUsed: { total: 4 } }
  : { malloc: { total: 24, quietestStep: 4 }, heapUsed: { total: 4 } };

type Sample = { rss: number; malloc?: number; heapUsed: number };

if (runsOn(["deno", "bun"])) {
  test(
    "ffi: memory stays flat over 200k messages produced and consumed",
    { timeout: 90_000 },
    async () => {
      const probe = new URL("./ffi_memory_probe.ts", import.meta.url).pathname;
      const args = runtime === "deno" ? ["run", "-A", "--v8-flags=--expose-gc", probe] : [probe];
      // A failing probe rejects here with its exit code and stderr.
      const { stdout } = await promisify(execFile)(process.execPath, args, {
        env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap() },
        maxBuffer: 1 << 20,
      });
      const lines = stdout.trim().split("\n");
      const result = JSON.parse(lines.at(-1)!) as {
        count: number;
        bytes: number;
        produced: Record<string, Sample>;
        consumed: Record<string, Sample>;
        produceSeconds: number;
      };
      console.log(
        `${runtime} memory (MB) producing ${JSON.stringify(result.produced)}, consuming ${
          JSON.stringify(result.consumed)
        }`,
      );
      assert.equal(result.count, 200_000);
      assert.equal(result.bytes, 200_000 * 110);
      const sides = { producer: result.produced, consumer: result.consumed };
      for (const [side, samples] of Object.entries(sides)) {
        for (const [measure, max] of Object.entries(maxGrowthMb)) {
          const at = ["50000", "100000", "150000", "200000"]
            .map((count) => samples[count][measure as keyof Sample]);
          assert.ok(at.every((mb) => mb !== undefined), `${side} ${measure} was measured`);
          const total = at[3]! - at[0]!;
          assert.ok(total < max.total, `${side} ${measure} grew ${total.toFixed(1)} MB`);
          if (max.quietestStep === undefined) continue;
          const quietest = Math.min(...at.slice(1).map((mb, i) => mb! - at[i]!));
          assert.ok(
            quietest < max.quietestStep,
            `${side} ${measure} grew in every step, ${quietest.toFixed(1)} MB or more`,
          );
        }
      }
    },
  );
}
