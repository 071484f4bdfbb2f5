/**
 * `flowodm worker` in the compiled binary: a consumers module written as a user writes one
 * (only `valibot` and `@flowodm/flowodm` imports, outside the repository) runs against the real
 * broker, answers /readyz, and SIGTERM ends it with exit 0 after committing.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, runsOn, uniqueName } from "../support.ts";
import { binary, ensureBinary, userDir } from "./binary.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { committedTotal, until } from "../loop/loop_support.ts";

await ensureBinary();

const librdkafka = new URL(
  "../../node_modules/@confluentinc/kafka-javascript/build/deps/librdkafka.so.1",
  import.meta.url,
).pathname;
// Below the ephemeral range, like tests/worker/worker.test.ts's ports.
const port = 29070;

if (runsOn(["deno"])) {
  test(
    "the binary's worker runs a user's consumers module; SIGTERM exits 0 with offsets committed",
    { timeout: 120_000 },
    async () => {
      const topic = uniqueName("bin-worker");
      const group = uniqueName("bin-worker-g");
      const connection = new Connection({
        bootstrapServers: kafkaBootstrap(),
        schemaRegistryUrl: registryUrl(),
      });
      const Note = defineModel("BinWorkerNote", v.object({ id: v.number() }), {
        topic,
        connection,
      });
      await Note.ensureTopic({ partitions: 1 });
      await Note.produceMany([{ id: 1 }, { id: 2 }, { id: 3 }]);
      const dir = await userDir({
        "consumers.ts": `import * as v from "valibot";
import { ConsumerLoop, defineModel } from "@flowodm/flowodm";
const Note = defineModel("BinWorkerNote", v.object({ id: v.number() }), {
  topic: ${JSON.stringify(topic)},
  consumerGroup: ${JSON.stringify(group)},
});
export const notes = new ConsumerLoop({
  model: Note,
  fromBeginning: true,
  handler: (note) => console.log("handled " + note.id),
});
`,
      });
      const child = new Deno.Command(binary, {
        args: ["worker", "--consumers", "./consumers.ts", "--health-port", String(port)],
        cwd: dir,
        env: {
          KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(),
          SCHEMA_REGISTRY_URL: registryUrl(),
          FLOWODM_LIBRDKAFKA: librdkafka,
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let out = "";
      const reading = (async () => {
        for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) out += chunk;
      })();
      const errors = new Response(child.stderr).text();
      try {
        await until(() => (out.match(/^handled \d$/gm) ?? []).length === 3, 60_000, "3 handled");
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        assert.equal(ready.status, 200, await ready.text());
      } catch (error) {
        try {
          child.kill("SIGKILL");
        } catch { /* it has already exited: its output tells why */ }
        throw new Error(`${error}\n${out}\n${await errors}`);
      }
      child.kill("SIGTERM");
      const status = await child.status;
      await reading;
      assert.equal(status.code, 0, `${out}\n${await errors}`);
      assert.match(out, /^worker stopped: notes$/m);
      assert.equal(await committedTotal(await connection.transport(), group), 3);
      await connection.close();
    },
  );
}
