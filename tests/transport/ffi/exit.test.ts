/**
 * How a program using the `ffi` transport ends, against the real broker: a
 * consumer left unclosed lets the process exit, and an uncaught error ends it
 * with that error, whatever librdkafka's threads are doing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn } from "../../support.ts";
import { runChild, topicForChildren } from "./run_child.ts";

// Deno unloaded librdkafka at exit while its threads ran: a SIGSEGV in 3 of 6 idle runs and 4 of 6
// throw runs before src/transport/ffi/deno.ts pinned the library, so each child runs three times.
if (runsOn(["deno", "bun"])) {
  const runs = 3;
  test(
    "ffi: a consumer left idle and unclosed does not keep the process alive, nor crash it",
    { timeout: 120_000 },
    async () => {
      const topic = await topicForChildren("ffi-exit");
      // Each child ends by itself or is killed (and this rejects) after 60 s.
      for (let run = 0; run < runs; run++) {
        const { stdout } = await runChild("idle", topic, 60_000);
        assert.match(stdout, /idle done/);
      }
    },
  );

  test(
    "ffi: an uncaught error with a consumer polling exits with that error, not a crash",
    { timeout: 120_000 },
    async () => {
      const topic = await topicForChildren("ffi-throw");
      for (let run = 0; run < runs; run++) {
        const failure = await runChild("throw", topic, 60_000).then(
          () => assert.fail("the child exited 0"),
          (error: { code?: number | null; signal?: string | null; stderr?: string }) => error,
        );
        assert.equal(failure.signal ?? null, null, `run ${run}: killed by ${failure.signal}`);
        assert.equal(failure.code, 1, `run ${run}: exit code`);
        assert.match(failure.stderr ?? "", /the child failed on purpose/);
      }
    },
  );
}
