/**
 * An idle `ffi` consumer must cost almost no CPU: Deno waits off-thread,
 * Bun waits on a pipe librdkafka signals. Measured over 10 s of polling an empty
 * topic, after the group has assigned its partitions.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "node:test";
import { runsOn, uniqueName } from "../support.ts";
import { ffiTransport, freshTopic } from "./transport_support.ts";

const idleMs = 10_000;
/** CPU time allowed over the idle window, as a share of one core. */
const maxShare = 0.05;

if (runsOn(["deno", "bun"])) {
  test(
    "ffi: a consumer polling an empty topic for 10 s uses almost no CPU",
    { timeout: 45_000 },
    async () => {
      const transport = await ffiTransport();
      // Closed whatever happens: a consumer left open when the test process exits can crash it.
      try {
        const topic = await freshTopic(transport, "ffi-idle", 1);
        const consumer = await transport.consumer({ groupId: uniqueName("ffi-idle-g") });
        await consumer.subscribe([topic]);
        const joinDeadline = Date.now() + 15_000;
        while (consumer.assignment().length === 0 && Date.now() < joinDeadline) {
          await consumer.poll(10, 200);
        }
        assert.equal(consumer.assignment().length, 1, "the group assigned the partition");

        const before = process.cpuUsage();
        const started = Date.now();
        let polls = 0;
        while (Date.now() - started < idleMs) {
          assert.deepEqual(await consumer.poll(100, 1000), []);
          polls++;
        }
        const used = process.cpuUsage(before);
        const wallMs = Date.now() - started;
        const cpuMs = (used.user + used.system) / 1000;
        const share = cpuMs / wallMs;
        console.log(
          `idle ffi consumer: ${cpuMs.toFixed(0)} ms CPU over ${wallMs} ms ` +
            `(${(share * 100).toFixed(2)}% of a core, ${polls} polls)`,
        );
        assert.ok(polls >= 9, "each poll waited its full timeout");
        assert.ok(share < maxShare, `idle CPU ${(share * 100).toFixed(2)}% >= ${maxShare * 100}%`);
      } finally {
        await transport.close();
      }
    },
  );
}
