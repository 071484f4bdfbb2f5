/**
 * The compiled CLI against the registry behind HTTPS with basic auth and a
 * client certificate (nginx, scripts/stack/secure_registry.ts), configured by
 * flags and by the environment: it registers and fetches, and a wrong
 * password exits 3 without printing it, in text and in --json.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { uniqueName } from "../support.ts";
import { assertExit, ensureBinary, flowodm, modelsModule, userDir } from "../cli/binary.ts";
import { secure, skip } from "./secure_support.ts";

if (secure) await ensureBinary();

function assertHidden(output: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!output.includes(secret), "a registry password was printed");
    assert.ok(!output.includes(btoa(`${secure!.registry.username}:${secret}`)));
  }
}

test("register and get-schema over HTTPS with basic auth, configured by the environment", {
  skip,
  timeout: 120_000,
}, async () => {
  const { https, username, password } = secure!.registry;
  const topic = uniqueName("cli-secure");
  const dir = await userDir({
    "models.ts": modelsModule(
      `export const Payment = defineModel("Payment", v.object({ id: v.string() }), { topic: "${topic}" });`,
    ),
  });
  const env = {
    SCHEMA_REGISTRY_URL: https,
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: `${username}:${password}`,
    SCHEMA_REGISTRY_SSL_CA_LOCATION: secure!.files.ca,
  };
  const registered = await flowodm(["register", "--models", "models.ts", "--json"], {
    cwd: dir,
    env,
  });
  assertExit(registered, 0);
  assertHidden(registered.stdout + registered.stderr, password);
  const fetched = await flowodm(["get-schema", "--subject", `${topic}-value`, "--json"], { env });
  assertExit(fetched, 0);
  assertHidden(fetched.stdout + fetched.stderr, password);
  assert.match(fetched.stdout, /Payment/);
});

test(
  "flags: --registry-ca, --registry-cert and --registry-key reach a registry requiring client certificates",
  { skip, timeout: 120_000 },
  async () => {
    const { mtls, username, password } = secure!.registry;
    const run = await flowodm([
      "list-subjects",
      "--registry-url",
      mtls,
      "--registry-auth",
      `${username}:${password}`,
      "--registry-ca",
      secure!.files.ca,
      "--registry-cert",
      secure!.files.clientCert,
      "--registry-key",
      secure!.files.clientKey,
      "--json",
    ]);
    assertExit(run, 0);
    assertHidden(run.stdout + run.stderr, password);
  },
);

test("a wrong registry password exits 3 without printing it, in text and --json", {
  skip,
  timeout: 120_000,
}, async () => {
  const { https, username } = secure!.registry;
  const wrong = `wrong-${crypto.randomUUID()}`;
  for (const json of [[], ["--json"]]) {
    const run = await flowodm(["list-subjects", ...json], {
      env: {
        SCHEMA_REGISTRY_URL: https,
        SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: `${username}:${wrong}`,
        SCHEMA_REGISTRY_SSL_CA_LOCATION: secure!.files.ca,
      },
    });
    assertExit(run, 3);
    assert.match(run.stdout + run.stderr, /401/);
    assertHidden(run.stdout + run.stderr, wrong);
  }
});
