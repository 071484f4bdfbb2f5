/**
 * The `ffi` consumer's event-driven wait (Bun: librdkafka signals a pipe
 * when its queue gets an event, see src/transport/ffi/bun_queue_wake.ts),
 * against the real broker: a waiting consumer is woken by a message produced
 * after it started waiting; closing releases every fd. Outcomes only, never
 * speed.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { wakeCounts } from "../../../src/transport/ffi/bun_queue_wake.ts";
import { runsOn, runtime, uniqueName } from "../../support.ts";
import { ffiTransport, freshTopic } from "../transport_support.ts";
import { runChild, topicForChildren } from "./run_child.ts";

const openFds = () => readdirSync("/proc/self/fd").length;

if (runsOn(["bun"])) {
  test(
    "ffi on Bun: a waiting consumer is woken through the pipe by a message produced after it began waiting",
    { timeout: 90_000 },
    async () => {
      const transport = await ffiTransport();
      const topic = await freshTopic(transport, "ffi-wake", 1);
      const consumer = await transport.consumer({ groupId: uniqueName("ffi-wake-g") });
      try {
        await consumer.subscribe([topic]);
        const joinDeadline = Date.now() + 30_000;
        while (consumer.assignment().length === 0 && Date.now() < joinDeadline) {
          assert.deepEqual(await consumer.poll(10, 200), []);
        }
        assert.equal(consumer.assignment().length, 1, "the group assigned the partition");
        const before = wakeCounts.pipe;
        // The message comes from another process, so no wait of this one is woken by its producer.
        const waiting = consumer.poll(10, 60_000);
        const produced = runChild("produce", topic, 60_000);
        const [messages] = await Promise.all([waiting, produced]);
        assert.equal(messages.length, 1);
        assert.equal(new TextDecoder().decode(messages[0].value!), "wake up");
        assert.ok(wakeCounts.pipe > before, "librdkafka's pipe ended the wait");
      } finally {
        await consumer.close();
        await transport.close();
      }
    },
  );
}

if (runsOn(["deno", "bun"])) {
  test(
    "ffi: connect, wait and close, five times, leaves no fd open",
    { timeout: 120_000 },
    async () => {
      const topic = await topicForChildren("ffi-fds");
      const cycle = async () => {
        const transport = await ffiTransport();
        const consumer = await transport.consumer({ groupId: uniqueName("ffi-fds-g") });
        await consumer.subscribe([topic]);
        for (let i = 0; i < 3; i++) assert.deepEqual(await consumer.poll(10, 200), []);
        await consumer.close();
        await transport.close();
      };
      // The first cycle opens what stays for the process (the library, Bun's worker).
      await cycle();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = openFds();
      for (let i = 0; i < 5; i++) await cycle();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = openFds();
      console.log(`${runtime}: ${before} fds before five cycles, ${after} after`);
      // Leaking a pipe per cycle would add 10; librdkafka's own sockets close with their handle.
      assert.ok(after - before < 4, `${after - before} more fds open after five cycles`);
    },
  );
}
