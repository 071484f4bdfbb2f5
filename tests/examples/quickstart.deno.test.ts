/** README's main job runs: the quickstart produces five orders and consumes them back, on every runtime. */
import assert from "node:assert/strict";

const commands = [
  ["deno", ["run", "-A", "examples/quickstart.ts"]],
  ["bun", ["examples/quickstart.ts"]],
  ["node", ["--import", "tsx", "examples/quickstart.ts"]],
] as const;

for (const [runtime, args] of commands) {
  Deno.test(`examples/quickstart.ts runs on ${runtime} [deno]`, async () => {
    const { code, stdout, stderr } = await new Deno.Command(runtime, {
      args: [...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const output = new TextDecoder().decode(stdout);
    assert.equal(code, 0, output + new TextDecoder().decode(stderr));
    assert.equal(output.match(/^produced to /gm)?.length, 5);
    assert.equal(output.match(/^consumed o-\d/gm)?.length, 5);
    assert.match(output, /^done$/m);
  });
}
