/**
 * Calls that wait on the network (metadata, committed offsets, seek,
 * destroy) leave the JS thread on Deno, which runs them as nonblocking
 * symbols: a client looking for a broker that never answers must not freeze
 * timers meanwhile. Bun still makes these calls on the JS thread (its worker
 * could not be loaded from a `bun build --compile` binary; see bun.ts), so
 * this runs on Deno only.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createFfiTransport } from "../../../src/transport/ffi/mod.ts";
import { runsOn } from "../../support.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

if (runsOn(["deno"])) {
  test(
    "ffi: timers keep running while a client waits 3 s for a broker that never answers",
    { timeout: 60_000 },
    async () => {
      const transport = await createFfiTransport({
        bootstrapServers: "127.0.0.1:1",
        connectTimeoutMs: 3_000,
        logger: quiet,
      });
      let ticks = 0;
      const interval = setInterval(() => ticks++, 20);
      try {
        await assert.rejects(transport.producer(), /no Kafka broker answered at 127\.0\.0\.1:1/);
      } finally {
        clearInterval(interval);
        await transport.close();
      }
      // About 150 on a free thread; a thread blocked in each 500 ms metadata wait got 0.
      assert.ok(ticks >= 30, `only ${ticks} timer ticks in 3 s`);
    },
  );
}
