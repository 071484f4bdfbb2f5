/**
 * A registry that cannot be reached is reported with the runtime's reason
 * (Node and Deno hide it in `cause`, Bun in the message), and a Deno run
 * without `--allow-net` is told that, not that the registry did not answer.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { runsOn } from "../support.ts";
import { ConfigError, RegistryError } from "../../src/errors.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import { fetchFailureText } from "../../src/registry/fetch_failure.ts";

test(
  "a refused connection keeps its cause's text on every runtime",
  { timeout: 60_000 },
  async () => {
    // Nothing listens on this port of this helper's range.
    const down = new SchemaRegistryClient({ url: "http://127.0.0.1:48101", retries: 0 });
    await assert.rejects(down.subjects(), (e: unknown) => {
      assert.ok(e instanceof RegistryError, String(e));
      assert.match(e.message, /did not answer GET \/subjects: .*(ECONNREFUSED|Connection refused)/);
      return true;
    });
  },
);

test("fetchFailureText follows causes and aggregates, without repeating itself", {
  timeout: 60_000,
}, () => {
  const root = new Error("connect ECONNREFUSED 127.0.0.1:1");
  assert.equal(
    fetchFailureText(new TypeError("fetch failed", { cause: root })),
    "fetch failed: connect ECONNREFUSED 127.0.0.1:1",
  );
  const aggregate = new AggregateError([root, new Error("other")], "");
  assert.equal(
    fetchFailureText(new TypeError("fetch failed", { cause: aggregate })),
    "fetch failed: connect ECONNREFUSED 127.0.0.1:1",
  );
  assert.equal(fetchFailureText(new Error("x", { cause: new Error("x") })), "x");
});

if (runsOn(["deno"])) {
  test(
    "Deno without --allow-net: a permission error naming the flag, at once",
    { timeout: 60_000 },
    () => {
      const client = fileURLToPath(new URL("../../src/registry/client.ts", import.meta.url));
      const script = `
    import { SchemaRegistryClient } from ${JSON.stringify(client)};
    try {
      await new SchemaRegistryClient({ url: "http://127.0.0.1:48102" }).subjects();
    } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`;
      const path = join(mkdtempSync(join(tmpdir(), "flowodm-perm-")), "no_net.ts");
      writeFileSync(path, script);
      const started = Date.now();
      // As the README's first run could be: read and env allowed, net not.
      const run = spawnSync("deno", ["run", "--no-prompt", "--allow-read", "--allow-env", path], {
        encoding: "utf8",
        timeout: 60_000,
      });
      rmSync(dirname(path), { recursive: true });
      assert.equal(run.status, 0, run.stderr);
      const error = JSON.parse(run.stdout.trim());
      assert.equal(error.name, ConfigError.name);
      assert.match(error.message, /denied network access to the Schema Registry at http:\/\/127/);
      assert.match(error.message, /--allow-net/);
      assert.doesNotMatch(error.message, /did not answer/);
      // Not retried with backoff as an outage would be.
      assert.ok(Date.now() - started < 30_000);
    },
  );
}
