/**
 * Chaos: a Schema Registry that hangs. The test starts a second Apicurio of its own (the shared
 * stack's stays up), freezes it with SIGSTOP for 15 s and thaws it with SIGCONT. During the hang a
 * model with a cached schema id keeps producing, a model whose schema is not cached fails with a
 * RegistryError within its timeout, and a fresh ConsumerLoop with a dead letter topic waits: it
 * dead-letters nothing and handles every message after the resume (issue #12).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, runtime, uniqueName } from "../support.ts";
import { startApicurio } from "../../scripts/stack/apicurio.ts";
import { Connection } from "../../src/config/connection.ts";
import { RegistryError } from "../../src/errors.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { createTransport } from "../../src/transport/select.ts";
import { readAll, until } from "./loop_support.ts";

/** This helper's port range is 18181-18199: two ports per runtime, so runs never collide. */
const ports = { deno: 18181, node: 18183, bun: 18185 }[runtime];
const HANG_MS = 15_000;
const TIMEOUT_MS = 3_000;
const Reading = v.object({ sensor: v.string(), celsius: v.number() });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection to the real broker and this test's registry, each registry request bounded. */
function connectionTo(url: string) {
  return new Connection({
    bootstrapServers: kafkaBootstrap(),
    registry: new SchemaRegistryClient({ url, timeoutMs: TIMEOUT_MS, retries: 0 }),
  });
}

test(
  "Registry hang: cached ids keep producing, uncached fail in time, a fresh loop dead-letters nothing",
  { timeout: 480_000 },
  async () => {
    const dataDir = mkdtempSync(`${tmpdir()}/flowodm-registry-hang-`);
    const registry = await startApicurio({ port: ports, managementPort: ports + 1, dataDir });
    const connections: Connection[] = [];
    const open = () => {
      const connection = connectionTo(registry.url);
      connections.push(connection);
      return connection;
    };
    try {
      const topic = uniqueName("hang");
      const group = uniqueName("hang-g");
      const Writer = defineModel("HangReading", Reading, {
        topic,
        consumerGroup: group,
        keyField: "sensor",
        connection: open(),
      });
      const Uncached = defineModel("HangOther", v.object({ id: v.string() }), {
        topic: uniqueName("hang-other"),
        connection: open(),
      });
      await Writer.ensureTopic({ partitions: 2 });
      const values = Array.from({ length: 20 }, (_, i) => ({ sensor: `s${i % 4}`, celsius: i }));
      await Writer.produceMany(values.slice(0, 10)); // registers: the id is cached from here on

      const handled: number[] = [];
      const lines: string[] = [];
      const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
      const loop = new ConsumerLoop({
        model: Writer.withConnection(open()), // a fresh model: nothing cached
        handler: (value) => void handled.push(value.celsius),
        settings: RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } }),
        deadLetter: true,
        handleSignals: false,
        logger: { info: log("info"), warn: log("warn"), error: log("error") },
      });
      let running: Promise<void> | undefined;

      registry.kill("SIGSTOP");
      const frozenAt = Date.now();
      try {
        await Writer.produceMany(values.slice(10)); // the cached id: no registry call

        const started = Date.now();
        await assert.rejects(
          Uncached.encode({ id: "x" }),
          (e) => e instanceof RegistryError && e.transient && e.status === undefined,
        );
        const took = Date.now() - started;
        assert.ok(took >= TIMEOUT_MS - 100, `it waited its ${TIMEOUT_MS} ms timeout (${took} ms)`);
        assert.ok(took < TIMEOUT_MS + 10_000, `and failed soon after it (${took} ms)`);

        running = loop.run();
        await until(() => loop.stats.waitingForRegistry > 0, 60_000, "the loop waiting");
        await sleep(Math.max(0, HANG_MS - (Date.now() - frozenAt)));
        assert.deepEqual(handled, [], "nothing is handled while the registry hangs");
        assert.equal(loop.stats.deadLettered, 0);
      } finally {
        registry.kill("SIGCONT");
      }
      try {
        await until(() => handled.length === values.length, 120_000, "every message after resume");
      } finally {
        loop.stop();
        await running;
      }
      assert.deepEqual(handled.sort((a, b) => a - b), values.map((value) => value.celsius));
      assert.equal(loop.stats.deadLettered, 0);
      assert.equal(lines.filter((l) => l.includes("did not answer")).length, 1, lines.join("\n"));
      assert.equal(lines.filter((l) => l.includes("answers again")).length, 1, lines.join("\n"));
      const transport = await createTransport({ bootstrapServers: kafkaBootstrap() });
      try {
        const dead = await readAll(transport, `${group}.${topic}.dlt`, 1, 5_000);
        assert.equal(dead.length, 0, "the dead letter topic is empty");
      } finally {
        await transport.close();
      }
    } finally {
      for (const connection of connections) await connection.close();
      await registry.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
