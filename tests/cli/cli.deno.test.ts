/**
 * The compiled `flowodm` binary against the real Schema Registry: every
 * command, its success and failure paths and exit codes, `--json` output, no
 * colours without a terminal, no secret printed. User model modules live in
 * temporary directories outside the repository.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import {
  assertExit,
  binary,
  closedPort,
  ensureBinary,
  flowodm,
  modelsModule,
  secret,
  userDir,
} from "./binary.ts";
import { SchemaRegistryClient } from "../../mod.ts";
import { registryKind } from "../registry/registry_kind.ts";
import { envelopeSchema } from "../avro/debezium_envelope.ts";

await ensureBinary();

const registry = new SchemaRegistryClient({ url: registryUrl() });
const commandNames = [
  "validate",
  "register",
  "check-compatibility",
  "upload-schema",
  "list-subjects",
  "get-schema",
  "generate",
  "set-compatibility",
  "delete-subject",
  "tail",
  "connect",
];

test(
  "--help lists every command, and each command has its own --help",
  { timeout: 60_000 },
  async () => {
    const run = await flowodm(["--help"]);
    assertExit(run, 0);
    for (const name of commandNames) assert.match(run.stdout, new RegExp(`^  ${name} `, "m"));
    for (const name of commandNames) {
      const own = await flowodm([name, "--help"]);
      assertExit(own, 0);
      assert.match(own.stdout, new RegExp(`^Usage: flowodm ${name} `, "m"));
      assert.match(own.stdout, /--registry-url <url>/);
    }
  },
);

test("--version prints the package version, also as JSON", { timeout: 60_000 }, async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const run = await flowodm(["--version"]);
  assertExit(run, 0);
  assert.match(run.stdout, new RegExp(`^flowodm ${config.version.replaceAll(".", "\\.")} \\(`));
  const json = await flowodm(["--version", "--json"]);
  assert.equal(json.json().version, config.version);
});

test("usage errors exit 2 and say what to do", { timeout: 60_000 }, async () => {
  const dir = await userDir({ "empty.ts": "export const answer = 42;\n" });
  const cases: [string[], RegExp][] = [
    [[], /Usage: flowodm <command>/],
    [["frobnicate"], /unknown command "frobnicate": use one of validate/],
    [["list-subjects", "--bogus"], /bogus.*see flowodm list-subjects --help/],
    [["get-schema"], /get-schema needs --subject/],
    [["set-compatibility", "--level", "SIDEWAYS"], /not a compatibility level: use one of NONE/],
    [["validate", "--models", "empty.ts"], /exactly one of --registry and --schemas-dir/],
    [["validate", "--models", "missing.ts", "--registry"], /no module at .*missing\.ts/],
    [
      ["validate", "--models", "empty.ts", "--registry"],
      /exports no model: export the values defineModel\(\) returns/,
    ],
    [["check-compatibility", "--model", "empty.ts"], /write it as <module>#<Export>/],
    [["get-schema", "--subject", "x", "--version", "zero"], /not a version/],
    [["list-subjects"], /no Schema Registry configured/],
  ];
  for (const [args, message] of cases) {
    const env: Record<string, string> = args[0] === "list-subjects" && args.length === 1
      ? { SCHEMA_REGISTRY_URL: "" }
      : {};
    const run = await flowodm(args, { cwd: dir, env });
    assertExit(run, 2);
    assert.match(run.stdout + run.stderr, message, args.join(" "));
  }
});

test(
  "a registry with nothing listening exits 3, in text and in JSON",
  { timeout: 60_000 },
  async () => {
    const url = `http://127.0.0.1:${closedPort()}`;
    const run = await flowodm(["list-subjects", "--registry-url", url]);
    assertExit(run, 3);
    assert.match(run.stderr, /did not answer GET \/subjects/);
    assert.match(run.stderr, /check that the registry is running/);
    const json = await flowodm(["get-schema", "--subject", "s", "--json"], {
      env: { SCHEMA_REGISTRY_URL: url },
    });
    assertExit(json, 3);
    const { error } = json.json<{ error: { type: string; exitCode: number; message: string } }>();
    assert.equal(error.type, "RegistryError");
    assert.equal(error.exitCode, 3);
  },
);

test(
  "credentials never appear in output, even when the URL carries them",
  { timeout: 60_000 },
  async () => {
    const url = `http://ci-user:${secret}@127.0.0.1:${closedPort()}`;
    // flowodm() itself fails the test if the secret shows up anywhere.
    const down = await flowodm(["list-subjects", "--json"], { env: { SCHEMA_REGISTRY_URL: url } });
    assertExit(down, 3);
    assert.match(down.stderr, /127\.0\.0\.1/);
    const given = await flowodm([
      "list-subjects",
      "--registry-auth",
      `ci-user:${secret}`,
      "--prefix",
      "none-",
    ]);
    assertExit(given, 0);
  },
);

test(
  "register: dry run, registration, then nothing to do; validate passes",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("cli-reg");
    const dir = await userDir({
      "models.ts": modelsModule(`
export const Order = defineModel("Order", v.object({ id: v.string(), total: v.number() }), { topic: "${topic}-orders" });
export const Customer = defineModel("Customer", v.object({ id: v.string(), email: v.string() }), { topic: "${topic}-customers" });
export const notAModel = { name: "Order" };`),
    });
    const dry = await flowodm(["register", "--models", "models.ts", "--dry-run", "--json"], {
      cwd: dir,
    });
    assertExit(dry, 0);
    const planned = dry.json<{ models: { model: string; status: string }[] }>().models;
    assert.deepEqual(planned.map((m) => [m.model, m.status]).sort(), [
      ["Customer", "would-register"],
      ["Order", "would-register"],
    ]);
    assert.deepEqual(
      await registry.subjects({ prefix: topic }),
      [],
      "a dry run registered something",
    );

    const real = await flowodm(["register", "--models", "models.ts"], { cwd: dir });
    assertExit(real, 0);
    assert.match(real.stdout, /^MODEL\s+SUBJECT\s+STATUS\s+ID\s+VERSION$/m);
    assert.match(
      real.stdout,
      new RegExp(`^Order\\s+${topic}-orders-value\\s+registered\\s+\\d+\\s+1$`, "m"),
    );
    assert.equal((await registry.version(`${topic}-orders-value`, "latest")).version, 1);

    const again = await flowodm(["register", "--models", `${dir}/models.ts`, "--json"]);
    assertExit(again, 0);
    assert.ok(
      again.json<{ models: { status: string }[] }>().models.every((m) => m.status === "unchanged"),
    );

    const valid = await flowodm([
      "validate",
      "--models",
      "models.ts",
      "--registry",
      "--strict",
      "--json",
    ], {
      cwd: dir,
    });
    assertExit(valid, 0);
    const report = valid.json<{ ok: boolean; models: { ok: boolean; errors: string[] }[] }>();
    assert.equal(report.ok, true);
    assert.equal(report.models.length, 2);

    const compatible = await flowodm(["check-compatibility", "--models", "models.ts", "--json"], {
      cwd: dir,
    });
    assertExit(compatible, 0);
    const checked = compatible.json<
      { models: { model: string; compatible: boolean; versions: number }[] }
    >();
    assert.deepEqual(checked.models.map((m) => [m.model, m.compatible, m.versions]).sort(), [
      ["Customer", true, 1],
      ["Order", true, 1],
    ]);
    const mixed = await flowodm(
      ["check-compatibility", "--models", "models.ts", "--subject", "x"],
      {
        cwd: dir,
      },
    );
    assertExit(mixed, 2);
    assert.match(mixed.stderr, /--subject goes with --model only/);
  },
);

test(
  "validate --registry: missing subject fails; a compatible change warns, and fails with --strict",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("cli-val");
    const v1 = modelsModule(
      `export const Event = defineModel("Event", v.object({ id: v.string() }), { topic: "${topic}" });`,
    );
    const v2 = modelsModule(
      `export const Event = defineModel("Event", v.object({ id: v.string(), note: v.optional(v.nullable(v.string())) }), { topic: "${topic}" });`,
    );
    const broken = modelsModule(
      `export const Event = defineModel("Event", v.object({ id: v.number() }), { topic: "${topic}" });`,
    );
    const dir = await userDir({ "v1.ts": v1, "v2.ts": v2, "broken.ts": broken });
    const missing = await flowodm(["validate", "--models", "v1.ts", "--registry"], { cwd: dir });
    assertExit(missing, 1);
    assert.match(missing.stdout, /has no registered schema; register Event first/);
    assertExit(await flowodm(["register", "--models", "v1.ts"], { cwd: dir }), 0);

    const lenient = await flowodm(["validate", "--models", "v2.ts", "--registry"], { cwd: dir });
    assertExit(lenient, 0);
    assert.match(lenient.stdout, /^Event\s+\S+\s+warning$/m);
    const strict = await flowodm([
      "validate",
      "--models",
      "v2.ts",
      "--registry",
      "--strict",
      "--json",
    ], {
      cwd: dir,
    });
    assertExit(strict, 1);
    const verdict = strict.json<{ ok: boolean; models: { warnings: string[] }[] }>();
    assert.equal(verdict.ok, false);
    assert.match(verdict.models[0].warnings[0], /registering it is compatible/);

    const incompatible = await flowodm(["validate", "--models", "broken.ts", "--registry"], {
      cwd: dir,
    });
    assertExit(incompatible, 1);
    assert.match(incompatible.stdout, /^Event\s+\S+\s+invalid$/m);
  },
);

test(
  "validate reports a field without an Avro type as a check failure",
  { timeout: 60_000 },
  async () => {
    const dir = await userDir({
      "models.ts": modelsModule(
        `export const Bad = defineModel("Bad", v.object({ id: v.string(), run: v.function() }), { topic: "t" });`,
      ),
    });
    const run = await flowodm(["validate", "--models", "models.ts", "--registry"], { cwd: dir });
    assertExit(run, 1);
    assert.match(run.stderr, /Avro schema cannot be generated: .*\(at run\)/);
  },
);

test("validate --schemas-dir compares with .avsc files: equal, doc-only, different, missing", {
  timeout: 60_000,
}, async () => {
  const topic = uniqueName("cli-dir");
  const subject = `${topic}-value`;
  const models = modelsModule(
    `export const Doc = defineModel("Doc", v.object({ id: v.pipe(v.string(), v.description("the id")), size: v.number() }), { topic: "${topic}" });`,
  );
  const dir = await userDir({ "models.ts": models });
  await Deno.mkdir(`${dir}/schemas`);
  const missing = await flowodm(["validate", "--models", "models.ts", "--schemas-dir", "schemas"], {
    cwd: dir,
  });
  assertExit(missing, 1);
  assert.match(missing.stdout, /flowodm get-schema --subject .* --output/);

  assertExit(await flowodm(["register", "--models", "models.ts"], { cwd: dir }), 0);
  const fetched = await flowodm(
    ["get-schema", "--subject", subject, "--output", `schemas/${subject}.avsc`],
    { cwd: dir },
  );
  assertExit(fetched, 0);
  const equal = await flowodm(["validate", "--models", "models.ts", "--schemas-dir", "schemas"], {
    cwd: dir,
  });
  assertExit(equal, 0);

  const kept = JSON.parse(await Deno.readTextFile(`${dir}/schemas/${subject}.avsc`));
  kept.fields[0].doc = "another description";
  await Deno.writeTextFile(`${dir}/schemas/${subject}.avsc`, JSON.stringify(kept));
  const docs = ["validate", "--models", "models.ts", "--schemas-dir", "schemas"];
  assertExit(await flowodm(docs, { cwd: dir }), 0);
  const strictDocs = await flowodm([...docs, "--strict"], { cwd: dir });
  assertExit(strictDocs, 1);
  assert.match(strictDocs.stdout, /documentation differs/);

  kept.fields[1].type = "long";
  await Deno.writeTextFile(`${dir}/schemas/${subject}.avsc`, JSON.stringify(kept));
  const different = await flowodm([...docs, "--json"], { cwd: dir });
  assertExit(different, 1);
  const errors = different.json<{ models: { errors: string[] }[] }>().models[0].errors;
  assert.ok(
    errors.some((e) => /at fields\.size\.type: file has "long", model has "double"/.test(e)),
    errors.join("\n"),
  );
});

test("check-compatibility checks at the level asked, transitive levels included", {
  timeout: 60_000,
}, async () => {
  const subject = `${uniqueName("cli-compat")}-value`;
  const dir = await userDir({
    "v1.avsc": JSON.stringify({
      type: "record",
      name: "M",
      fields: [{ name: "id", type: "string" }, { name: "x", type: "int" }],
    }),
    "v2.avsc": JSON.stringify({
      type: "record",
      name: "M",
      fields: [{ name: "id", type: "string" }],
    }),
    "models.ts": modelsModule(
      `export const M = defineModel("M", v.object({ id: v.string(), x: v.optional(v.nullable(v.string())) }), { topic: "unused", schemaSubject: "${subject}" });
export const Strict = defineModel("M", v.object({ id: v.string(), y: v.string() }), { topic: "unused", schemaSubject: "${subject}" });`,
    ),
  });
  for (const file of ["v1.avsc", "v2.avsc"]) {
    assertExit(
      await flowodm([
        "upload-schema",
        "--avro",
        file,
        "--subject",
        subject,
        "--compatibility",
        "NONE",
      ], {
        cwd: dir,
      }),
      0,
    );
  }
  const latestOnly = await flowodm(
    ["check-compatibility", "--model", "models.ts#M", "--level", "BACKWARD", "--json"],
    { cwd: dir },
  );
  assertExit(latestOnly, 0);
  assert.equal(
    latestOnly.json<{ models: { compatible: boolean; level: string }[] }>().models[0].level,
    "BACKWARD",
  );

  const transitive = await flowodm(
    ["check-compatibility", "--model", "models.ts#M", "--level", "backward_transitive"],
    { cwd: dir },
  );
  assertExit(transitive, 1);
  assert.match(transitive.stdout, /^M\s+\S+\s+BACKWARD_TRANSITIVE\s+2\s+no$/m);
  assert.match(transitive.stdout, /^ {2}M: .+/m, "the registry's reasons are printed");
  if (registryKind !== "confluent") {
    // Apicurio gives no reason: the CLI says so and shows how the schema differs.
    assert.match(transitive.stdout, /^ {2}M: the registry gave no reason; .*version 2:$/m);
    assert.match(
      transitive.stdout,
      /^ {2}M: {3}differs from .* at fields\.x: registry has nothing/m,
    );
  }

  const json = await flowodm(
    [
      "check-compatibility",
      "--model",
      "models.ts#Strict",
      "--subject",
      subject,
      "--level",
      "BACKWARD",
      "--json",
    ],
    { cwd: dir },
  );
  assertExit(json, 1);
  const [result] = json.json<
    { models: { compatible: boolean; messages: string[]; explanation?: string[] }[] }
  >().models;
  assert.equal(result.compatible, false);
  if (registryKind === "confluent") assert.ok(result.messages.length > 0);
  else {
    assert.deepEqual(result.messages, [], "Apicurio gives no reasons");
    assert.ok(result.explanation?.some((line) => /at fields\.y: registry has nothing/.test(line)));
  }
  assert.equal(
    await registry.compatibility(subject),
    "NONE",
    "the subject's level was not restored",
  );

  const none = await flowodm(["check-compatibility", "--model", "models.ts#Nope"], { cwd: dir });
  assertExit(none, 2);
  assert.match(none.stderr, /no model exported as Nope; its models: M, Strict/);
});

test("upload-schema registers a file, sets the level, and refuses incompatible or invalid ones", {
  timeout: 60_000,
}, async () => {
  const subject = `${uniqueName("cli-upload")}-value`;
  const dir = await userDir({
    "v1.avsc": JSON.stringify({
      type: "record",
      name: "U",
      fields: [{ name: "id", type: "string" }],
    }),
    "v2.avsc": JSON.stringify({
      type: "record",
      name: "U",
      fields: [{ name: "id", type: "long" }],
    }),
    "bad.avsc": "{ not json",
  });
  const first = await flowodm(
    [
      "upload-schema",
      "--avro",
      "v1.avsc",
      "--subject",
      subject,
      "--compatibility",
      "FULL",
      "--json",
    ],
    { cwd: dir },
  );
  assertExit(first, 0);
  const uploaded = first.json<{ id: number; version: number; compatibility: string }>();
  assert.equal(uploaded.version, 1);
  assert.equal(uploaded.compatibility, "FULL");
  assert.equal((await registry.version(subject, 1)).id, uploaded.id);
  assert.equal(await registry.compatibility(subject), "FULL");

  const incompatible = await flowodm(["upload-schema", "--avro", "v2.avsc", "--subject", subject], {
    cwd: dir,
  });
  assertExit(incompatible, 1);
  assert.match(incompatible.stderr, /409[\s\S]*flowodm check-compatibility/);
  const invalid = await flowodm(["upload-schema", "--avro", "bad.avsc", "--subject", subject], {
    cwd: dir,
  });
  assertExit(invalid, 1);
  assert.match(invalid.stderr, /bad\.avsc is not JSON/);
  const absent = await flowodm(["upload-schema", "--avro", "nope.avsc", "--subject", subject], {
    cwd: dir,
  });
  assertExit(absent, 2);
});

test("get-schema prints, writes and reports versions; an unknown subject exits 3", {
  timeout: 60_000,
}, async () => {
  const subject = `${uniqueName("cli-get")}-value`;
  const schema = { type: "record", name: "G", fields: [{ name: "id", type: "string" }] };
  const id = await registry.register(subject, JSON.stringify(schema));
  const printed = await flowodm(["get-schema", "--subject", subject]);
  assertExit(printed, 0);
  assert.deepEqual(JSON.parse(printed.stdout), schema);
  const json = await flowodm(["get-schema", "--subject", subject, "--version", "1", "--json"]);
  assert.deepEqual(json.json(), {
    command: "get-schema",
    ok: true,
    subject,
    version: 1,
    id,
    schema,
    output: null,
  });
  const missing = await flowodm(["get-schema", "--subject", `${subject}-nope`]);
  assertExit(missing, 1);
  assert.match(missing.stderr, /subject "[^"]+-nope" does not exist[\s\S]*flowodm list-subjects/);
});

test("generate writes a model module that the binary then validates against the registry", {
  timeout: 60_000,
}, async () => {
  const topic = uniqueName("cli-gen");
  const schema = {
    type: "record",
    name: "Shipment",
    namespace: "com.example",
    fields: [
      { name: "id", type: "string" },
      { name: "weight", type: "double" },
      { name: "tags", type: { type: "array", items: "string" } },
      { name: "status", type: { type: "enum", name: "Status", symbols: ["NEW", "SENT"] } },
    ],
  };
  await registry.register(`${topic}-value`, JSON.stringify(schema));
  const printed = await flowodm(["generate", "--subject", `${topic}-value`]);
  assertExit(printed, 0);
  assert.match(printed.stdout, /^export const Shipment = defineModel\("Shipment", /m);
  const dir = await userDir({});
  const written = await flowodm(
    ["generate", "--subject", `${topic}-value`, "--out", "shipment.ts"],
    {
      cwd: dir,
    },
  );
  assertExit(written, 0);
  assert.equal(await Deno.readTextFile(`${dir}/shipment.ts`), printed.stdout);
  const valid = await flowodm(["validate", "--models", "shipment.ts", "--registry", "--strict"], {
    cwd: dir,
  });
  assertExit(valid, 0);
  assert.match(valid.stdout, /^Shipment\s+\S+\s+ok$/m);

  await registry.register(`${topic}-key`, JSON.stringify("string"));
  const notRecord = await flowodm(["generate", "--subject", `${topic}-key`]);
  assertExit(notRecord, 1);
  assert.match(notRecord.stderr, /not an Avro record schema: only records become models/);
});

test("generate on Debezium's subject: the module validates --strict against it, as is", {
  timeout: 60_000,
}, async () => {
  const subject = `${uniqueName("cli-dbz")}.public.customers-value`;
  await registry.register(subject, JSON.stringify(envelopeSchema));
  const dir = await userDir({});
  const written = await flowodm(["generate", "--subject", subject, "--out", "envelope.ts"], {
    cwd: dir,
  });
  assertExit(written, 0);
  const valid = await flowodm(["validate", "--models", "envelope.ts", "--registry", "--strict"], {
    cwd: dir,
  });
  assertExit(valid, 0);
  assert.match(valid.stdout, /^Envelope\s+\S+\s+ok$/m);
});

test("list-subjects, set-compatibility and delete-subject (soft, then permanent)", {
  timeout: 60_000,
}, async () => {
  const prefix = uniqueName("cli-life");
  const subject = `${prefix}-value`;
  await registry.register(subject, JSON.stringify({ type: "record", name: "L", fields: [] }));

  const listed = await flowodm(["list-subjects", "--prefix", prefix]);
  assertExit(listed, 0);
  assert.match(listed.stdout, /^SUBJECT\s+VERSIONS\s+LATEST$/m);
  assert.match(listed.stdout, new RegExp(`^${subject}\\s+1\\s+1$`, "m"));
  const json = await flowodm(["list-subjects", "--prefix", prefix, "--json"]);
  assert.deepEqual(json.json<{ subjects: unknown[] }>().subjects, [
    { subject, versions: [1], deletedVersions: [], deleted: false },
  ]);

  const set = await flowodm([
    "set-compatibility",
    "--subject",
    subject,
    "--level",
    "FULL_TRANSITIVE",
    "--json",
  ]);
  assertExit(set, 0);
  assert.equal(set.json().level, "FULL_TRANSITIVE");
  assert.equal(await registry.compatibility(subject), "FULL_TRANSITIVE");

  const unconfirmed = await flowodm(["delete-subject", "--subject", subject]);
  assertExit(unconfirmed, 2);
  assert.match(unconfirmed.stderr, /pass --yes/);
  assert.deepEqual(await registry.versions(subject), [1]);

  const soft = await flowodm(["delete-subject", "--subject", subject, "--yes", "--json"]);
  assertExit(soft, 0);
  assert.deepEqual(soft.json().versions, [1]);
  assert.deepEqual(
    await flowodm(["list-subjects", "--prefix", prefix, "--json"]).then((r) => r.json().subjects),
    [],
  );
  const withDeleted = await flowodm(["list-subjects", "--prefix", prefix, "--deleted", "--json"]);
  assert.deepEqual(withDeleted.json<{ subjects: unknown[] }>().subjects, [
    { subject, versions: [], deletedVersions: [1], deleted: true },
  ]);

  const permanent = await flowodm(["delete-subject", "--subject", subject, "--permanent", "--yes"]);
  assertExit(permanent, 0);
  assert.match(permanent.stdout, /permanently deleted/);
  assert.deepEqual(await registry.subjects({ prefix, deleted: true }), []);
  const gone = await flowodm(["delete-subject", "--subject", subject, "--yes"]);
  assertExit(gone, 1);
  assert.match(gone.stderr, /subject "[^"]+" does not exist/);
});

test("colours appear on a terminal only", { timeout: 60_000 }, async () => {
  const command = `SCHEMA_REGISTRY_URL=${registryUrl()} ${binary} list-subjects --prefix none-`;
  const tty = await new Deno.Command("script", {
    args: ["-qec", `${binary} --help; ${command}; ${binary} validate`, "/dev/null"],
    stdout: "piped",
    stderr: "piped",
    env: { TERM: "xterm", NO_COLOR: "" },
  }).output();
  const text = new TextDecoder().decode(tty.stdout);
  assert.ok(text.includes("\u001b[31merror: "), `errors are red on a terminal: ${text}`);
  // flowodm() asserts the opposite for every piped run.
});

test("the README's CI module examples/models.ts loads in the binary; --quiet prints nothing", {
  timeout: 60_000,
}, async () => {
  const examples = new URL("../../examples/models.ts", import.meta.url).pathname;
  const dry = await flowodm(["register", "--models", examples, "--dry-run", "--json"]);
  assert.ok(dry.code === 0 || dry.code === 1, dry.stderr);
  const models = dry.json<{ models: { model: string; subject: string }[] }>().models;
  assert.deepEqual(models.map((m) => [m.model, m.subject]), [
    ["CustomerEvent", "shop.customers-value"],
    ["OrderEvent", "shop.orders-value"],
  ]);
  const quiet = await flowodm(["register", "--models", examples, "--dry-run", "--quiet"]);
  assert.equal(quiet.code, dry.code);
  assert.equal(quiet.stdout, "");
});

test("delete-subject asks on a terminal, and deletes a live subject permanently in one go", {
  timeout: 60_000,
}, async () => {
  const asked = `${uniqueName("cli-ask")}-value`;
  const wrong = `${uniqueName("cli-ask")}-value`;
  for (const subject of [asked, wrong]) {
    await registry.register(subject, JSON.stringify({ type: "record", name: "A", fields: [] }));
  }
  const onTerminal = async (subject: string, typed: string) => {
    const child = new Deno.Command("script", {
      args: ["-qec", `${binary} delete-subject --subject ${subject}`, "/dev/null"],
      env: { SCHEMA_REGISTRY_URL: registryUrl() },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(`${typed}\n`));
    await writer.close();
    const { code, stdout } = await child.output();
    return { code, text: new TextDecoder().decode(stdout) };
  };
  const yes = await onTerminal(asked, asked);
  assert.equal(yes.code, 0, yes.text);
  assert.match(yes.text, /Type its name to confirm/);
  assert.deepEqual(await registry.subjects({ prefix: asked }), []);
  const no = await onTerminal(wrong, "something else");
  assert.equal(no.code, 2, no.text);
  assert.deepEqual(await registry.versions(wrong), [1]);

  const permanent = await flowodm([
    "delete-subject",
    "--subject",
    wrong,
    "--permanent",
    "--yes",
    "--json",
  ]);
  assertExit(permanent, 0);
  assert.deepEqual(permanent.json().versions, [1]);
  assert.deepEqual(await registry.subjects({ prefix: wrong, deleted: true }), []);
});
