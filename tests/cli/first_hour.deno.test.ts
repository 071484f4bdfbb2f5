/**
 * What a new user meets first, through the compiled `flowodm` binary (issue
 * #18): models importing the library by path, `process.env` in models (the
 * binary runs on Bun: no `Deno`), a syntax error named by file and line,
 * missing subjects and versions as exit 1, validate's advice after an
 * incompatible change, `generate` of optional fields, and `tail`.
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import * as v from "valibot";
import { test } from "node:test";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";
import { assertExit, ensureBinary, flowodm, modelsModule, userDir } from "./binary.ts";
import { Connection } from "../../src/config/connection.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

await ensureBinary();

const root = new URL("../../", import.meta.url).pathname;
const registry = new SchemaRegistryClient({ url: registryUrl() });

test(
  "a models file importing the library by path or subpath entry gets the binary's own copy",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("cli-path");
    const dir = await userDir({});
    const files = {
      // By a relative path to a checkout, and deep into its sources, as a monorepo might.
      "relative.ts": `import * as v from "valibot";
import { defineModel } from "${relative(dir, `${root}mod.ts`)}";
export const A = defineModel("A", v.object({ id: v.string() }), { topic: "${topic}-a" });`,
      "deep.ts": `import * as v from "valibot";
import { defineModel } from "${root}src/model/define_model.ts";
export const B = defineModel("B", v.object({ id: v.string() }), { topic: "${topic}-b" });`,
      // The subpath entries, by name and by path.
      "subpath.ts": `import * as v from "valibot";
import { defineModel } from "@flowodm/flowodm";
import { createMemoryTransport } from "@flowodm/flowodm/testing";
import { MockSchemaRegistry } from "${root}testing.ts";
if (typeof createMemoryTransport !== "function" || typeof MockSchemaRegistry !== "function") {
  throw new Error("the testing entry was not served");
}
export const C = defineModel("C", v.object({ id: v.string() }), { topic: "${topic}-c" });`,
    };
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    for (
      const [file, subject] of [
        ["relative.ts", `${topic}-a-value`],
        ["deep.ts", `${topic}-b-value`],
        ["subpath.ts", `${topic}-c-value`],
      ]
    ) {
      const run = await flowodm(["register", "--models", file, "--dry-run", "--json"], {
        cwd: dir,
      });
      assertExit(run, 0);
      const { models } = run.json<{ models: { subject: string; status: string }[] }>();
      assert.deepEqual(
        models.map((m) => [m.subject, m.status]),
        [[subject, "would-register"]],
        file,
      );
    }
  },
);

test("models read settings with process.env; Deno.env fails with the portable way named", {
  timeout: 60_000,
}, async () => {
  const topic = uniqueName("cli-env");
  const dir = await userDir({
    "portable.ts": modelsModule(`import process from "node:process";
export const Order = defineModel("Order", v.object({ id: v.string() }), { topic: process.env.ORDERS_TOPIC! });`),
    "deno_only.ts": modelsModule(
      `export const Order = defineModel("Order", v.object({ id: v.string() }), { topic: Deno.env.get("ORDERS_TOPIC")! });`,
    ),
  });
  const env = { ORDERS_TOPIC: topic };
  const ok = await flowodm(["register", "--models", "portable.ts", "--dry-run", "--json"], {
    cwd: dir,
    env,
  });
  assertExit(ok, 0);
  assert.equal(ok.json<{ models: { subject: string }[] }>().models[0].subject, `${topic}-value`);
  const denoOnly = await flowodm(["register", "--models", "deno_only.ts", "--dry-run"], {
    cwd: dir,
    env,
  });
  assertExit(denoOnly, 2);
  assert.match(denoOnly.stderr, /Deno is not defined[\s\S]*process\.env/);
});

test("an import syntax error names the file and line", { timeout: 60_000 }, async () => {
  const dir = await userDir({
    "syntax.ts": modelsModule(
      `export const Order = defineModel("Order", v.object({ id: v.string() }), (;`,
    ),
  });
  const run = await flowodm(["validate", "--models", "syntax.ts", "--registry"], { cwd: dir });
  assertExit(run, 2);
  assert.match(run.stderr, /cannot import syntax\.ts: .*at \S*syntax\.ts:3:\d+/);
});

test(
  "a subject or version that does not exist exits 1 and says so",
  { timeout: 60_000 },
  async () => {
    const subject = uniqueName("cli-missing");
    const cases: [string[], RegExp][] = [
      [["get-schema", "--subject", subject], /subject "[^"]+" does not exist/],
      [["generate", "--subject", subject], /subject "[^"]+" does not exist/],
      [["delete-subject", "--subject", subject, "--yes"], /subject "[^"]+" does not exist/],
      [["delete-subject", "--subject", subject, "--permanent", "--yes"], /does not exist/],
    ];
    for (const [args, message] of cases) {
      const run = await flowodm(args);
      assertExit(run, 1);
      assert.match(run.stderr, message, args.join(" "));
    }
    await registry.register(subject, JSON.stringify("string"));
    const version = await flowodm(["get-schema", "--subject", subject, "--version", "5", "--json"]);
    assertExit(version, 1);
    const { error } = version.json<{ error: { message: string; exitCode: number } }>();
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /version 5 of subject "[^"]+" does not exist/);
  },
);

test(
  "after an incompatible change validate does not suggest register",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("cli-incompatible");
    await registry.register(
      `${topic}-value`,
      JSON.stringify({ type: "record", name: "Order", fields: [{ name: "id", type: "string" }] }),
    );
    await registry.setCompatibility("BACKWARD", `${topic}-value`);
    const dir = await userDir({
      "models.ts": modelsModule(
        `export const Order = defineModel("Order", v.object({ id: v.string(), total: v.number() }), { topic: "${topic}" });`,
      ),
    });
    const run = await flowodm(["validate", "--models", "models.ts", "--registry"], { cwd: dir });
    assertExit(run, 1);
    assert.doesNotMatch(run.stdout, /flowodm register/);
    assert.match(
      run.stdout,
      /cannot be registered[\s\S]*flowodm check-compatibility --models models\.ts/,
    );
    // A subject with no schema yet is still one to register.
    const fresh = await userDir({
      "models.ts": modelsModule(
        `export const Order = defineModel("Order", v.object({ id: v.string() }), { topic: "${topic}-new" });`,
      ),
    });
    const unregistered = await flowodm(["validate", "--models", "models.ts", "--registry"], {
      cwd: fresh,
    });
    assertExit(unregistered, 1);
    assert.match(unregistered.stdout, /flowodm register --models models\.ts/);
  },
);

test(
  "generate writes v.optional(T) for what v.optional(T) registered",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("cli-optional");
    const Model = defineModel(
      "Profile",
      v.object({
        id: v.string(),
        nick: v.optional(v.string()),
        tags: v.array(v.nullable(v.string())),
      }),
      { topic, connection: new Connection({ schemaRegistryUrl: registryUrl() }) },
    );
    await Model.registerSchema();
    const run = await flowodm(["generate", "--subject", `${topic}-value`]);
    assertExit(run, 0);
    assert.match(run.stdout, /"nick": v\.optional\(v\.string\(\)\),/);
    assert.match(run.stdout, /v\.array\(v\.nullable\(v\.string\(\)\)\)/);
    assert.doesNotMatch(run.stdout, /nullish/);
  },
);

const librdkafka = `${root}node_modules/@confluentinc/kafka-javascript/build/deps/librdkafka.so.1`;

test("tail prints decoded records with their coordinates; undecodable ones never stop it", {
  timeout: 180_000,
}, async () => {
  const topic = uniqueName("cli-tail");
  const connection = new Connection({
    bootstrapServers: kafkaBootstrap(),
    schemaRegistryUrl: registryUrl(),
  });
  const env = { KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(), FLOWODM_LIBRDKAFKA: librdkafka };
  try {
    const Reading = defineModel(
      "Reading",
      v.object({ sensor: v.string(), big: v.bigint(), at: v.date() }),
      { topic, keyField: "sensor", connection },
    );
    await Reading.ensureTopic({ partitions: 1 });
    const first = await Reading.produce(
      { sensor: "s1", big: 2n ** 60n, at: new Date(0) },
      { headers: { trace: "t-1" } },
    );
    const producer = await connection.producer();
    const junk = new TextEncoder().encode("{not avro}");
    await producer.send([{ topic, key: new TextEncoder().encode("j"), value: junk }]);
    await Reading.tombstone("s1");
    await Reading.produce({ sensor: "s2", big: 1n, at: new Date(1000) });

    const run = await flowodm([
      "tail",
      "--topic",
      topic,
      "--from-beginning",
      "--max",
      "4",
      "--json",
    ], {
      env,
    });
    assertExit(run, 0);
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 4);
    const schemaId = await Reading.registerSchema();
    assert.deepEqual(lines[0], {
      topic,
      partition: 0,
      offset: 0,
      timestamp: new Date(first.timestamp).toISOString(),
      key: "s1",
      headers: { trace: "t-1" },
      schemaId,
      // Longs past 2^53 as decimal strings: no digit lost.
      value: { sensor: "s1", big: "1152921504606846976", at: "1970-01-01T00:00:00.000Z" },
    });
    assert.equal(lines[1].key, "j");
    assert.equal(lines[1].value, null);
    assert.match(lines[1].error, /^undecodable: unknown magic byte 0x7b/);
    assert.equal(lines[2].tombstone, true);
    assert.deepEqual(lines[3].value, { sensor: "s2", big: 1, at: "1970-01-01T00:00:01.000Z" });
    assert.equal(lines[3].offset, 3);

    const text = await flowodm(["tail", "--topic", topic, "--from-beginning", "--max", "2"], {
      env,
    });
    assertExit(text, 0);
    assert.match(
      text.stdout,
      new RegExp(
        `^${topic}\\[0\\]@0 \\S+Z key="s1" schema=${schemaId} headers=\\{"trace":"t-1"\\} \\{`,
      ),
    );
    assert.match(text.stdout.split("\n")[1], /@1 .* schema=- undecodable: unknown magic byte/);

    // With --group it commits what it printed: the next tail in that group goes on from there.
    const group = uniqueName("cli-tail-group");
    const tailGroup = ["tail", "--topic", topic, "--from-beginning", "--group", group, "--json"];
    assertExit(await flowodm([...tailGroup, "--max", "2"], { env }), 0);
    const next = await flowodm([...tailGroup, "--max", "1"], { env });
    assertExit(next, 0);
    assert.equal(JSON.parse(next.stdout).offset, 2);

    const missing = await flowodm(["tail", "--topic", `${topic}-nope`, "--max", "1"], { env });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, new RegExp(`${topic}-nope`));
  } finally {
    await connection.close();
  }
});
