/**
 * README's main job runs on every runtime: in-process (memory:// and mock://) when nothing is
 * configured, and against the real stack when the environment names it.
 */
import assert from "node:assert/strict";

const commands = [
  ["deno", ["run", "-A", "examples/quickstart.ts"]],
  ["bun", ["examples/quickstart.ts"]],
  ["node", ["--import", "tsx", "examples/quickstart.ts"]],
] as const;

const inProcess = { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" };

for (const [runtime, args] of commands) {
  for (const where of ["in-process", "stack"] as const) {
    Deno.test(`examples/quickstart.ts runs on ${runtime}, ${where} [deno]`, async () => {
      const { code, stdout, stderr } = await new Deno.Command(runtime, {
        args: [...args],
        stdout: "piped",
        stderr: "piped",
        clearEnv: where === "in-process",
        env: where === "in-process" ? inProcess : undefined,
      }).output();
      const output = new TextDecoder().decode(stdout);
      assert.equal(code, 0, output + new TextDecoder().decode(stderr));
      // The first line says where it runs; in-process only because nothing is configured.
      const first = output.split("\n")[0];
      if (where === "in-process") {
        assert.equal(
          first,
          "kafka memory://, registry mock://default (in-process: KAFKA_BOOTSTRAP_SERVERS is not set)",
        );
      } else assert.match(first, /^kafka \d\S*, registry http/);
      assert.equal(output.match(/^produced to /gm)?.length, 5);
      assert.equal(output.match(/^consumed o-\d/gm)?.length, 5);
      assert.match(output, /^done$/m);
    });
  }
}
