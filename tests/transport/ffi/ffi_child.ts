/**
 * A child process for tests/transport/ffi/bun_wake.test.ts and exit.test.ts,
 * run on the test's runtime: `produce <topic>` sends one message and closes;
 * `idle <topic>` joins a group, polls the empty topic a few times, then
 * stops polling without closing anything, and must then exit on its own;
 * `throw <topic>` fails with an uncaught error while its consumer polls.
 */
import process from "node:process";
import { createFfiTransport } from "../../../src/transport/ffi/mod.ts";
import { kafkaBootstrap, uniqueName } from "../../support.ts";

const [mode, topic] = process.argv.slice(-2);
const transport = await createFfiTransport({ bootstrapServers: kafkaBootstrap() });
if (mode === "produce") {
  const producer = await transport.producer();
  const [report] = await producer.send([{
    topic,
    key: null,
    value: new TextEncoder().encode("wake up"),
  }]);
  if (!report.ok) throw report.error;
  await transport.close();
} else {
  const consumer = await transport.consumer({ groupId: uniqueName("ffi-idle-exit") });
  await consumer.subscribe([topic]);
  for (let i = 0; i < 5; i++) await consumer.poll(10, 300);
  if (mode === "throw") {
    // An off-thread poll is under way when the error ends the program.
    void consumer.poll(10, 5_000);
    throw new Error("the child failed on purpose");
  }
  // Nothing closed on purpose: librdkafka's threads and the wake-up pipe must not hold the process.
}
console.log(`${mode} done`);
