/**
 * The CLI from source, as `deno run -A cli.ts` and `bun cli.ts`, importing a
 * user's models module from a directory outside the repository.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { modelsModule, userDir } from "./binary.ts";

const cli = new URL("../../cli.ts", import.meta.url).pathname;

for (const [runtime, command] of [["deno", ["run", "-A", cli]], ["bun", [cli]]] as const) {
  test(`${runtime} runs cli.ts from source on a user's module`, { timeout: 60_000 }, async () => {
    const topic = uniqueName(`cli-src-${runtime}`);
    const dir = await userDir({
      "models.ts": modelsModule(
        `export const Note = defineModel("Note", v.object({ id: v.string() }), { topic: "${topic}" });`,
      ),
    });
    const run = async (...args: string[]) => {
      const { code, stdout, stderr } = await new Deno.Command(runtime, {
        args: [...command, ...args],
        cwd: dir,
        env: { SCHEMA_REGISTRY_URL: registryUrl() },
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
    };
    const registered = await run("register", "--models", "models.ts", "--json");
    assert.equal(registered.code, 0, registered.err);
    assert.equal(JSON.parse(registered.out).models[0].status, "registered");
    const valid = await run("validate", "--models", "models.ts", "--registry", "--strict");
    assert.equal(valid.code, 0, valid.out + valid.err);
    assert.match(valid.out, /^Note\s+\S+\s+ok$/m);
  });
}
