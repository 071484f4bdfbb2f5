/**
 * Heavy: 200 000 messages (key, 100-byte value, two headers) produced and
 * consumed through the `ffi` transport on Deno and on Bun, in a child process
 * that can force GC (tests/transport/ffi_memory_probe.ts). Every delivery report
 * event, fetch event and message must be freed exactly once, so resident
 * memory stays flat once warm: leaking one event or message per record
 * (hundreds of bytes each) over the last 150 000 would add tens of megabytes.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { promisify } from "node:util";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, runtime } from "../support.ts";

/**
 * Allowed RSS growth from 50 000 messages to 200 000. Leaking one event or
 * message per record would add 30 MB or more. Bun's RSS swings by up to 15 MB
 * between samples (its allocator keeps and returns pages in bursts: 76, 80.5,
 * 76, 88.3 MB in one run, 87.7 down to 70.8 in another), so its band is wider
 * and only catches leaks of about 160 bytes per record or more.
 */
const maxGrowthMb = runtime === "bun" ? 24 : 8;

if (runsOn(["deno", "bun"])) {
  test(
    "ffi: RSS stays flat over 200k messages produced and consumed",
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
        produced: Record<string, number>;
        consumed: Record<string, number>;
        produceSeconds: number;
      };
      console.log(
        `${runtime} RSS (MB) producing ${JSON.stringify(result.produced)}, consuming ${
          JSON.stringify(result.consumed)
        }`,
      );
      assert.equal(result.count, 200_000);
      assert.equal(result.bytes, 200_000 * 110);
      const growth = (samples: Record<string, number>) => samples["200000"] - samples["50000"];
      assert.ok(
        growth(result.produced) < maxGrowthMb,
        `producer RSS grew ${growth(result.produced)} MB`,
      );
      assert.ok(
        growth(result.consumed) < maxGrowthMb,
        `consumer RSS grew ${growth(result.consumed)} MB`,
      );
    },
  );
}
