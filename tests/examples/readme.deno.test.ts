/**
 * README's first program, as written there, runs and exits on Deno (with
 * exactly the permissions the README lists), Bun and Node, against the real
 * stack. Only its addresses and topic are replaced, and its import of
 * `@flowodm/flowodm` points at this checkout.
 */
import assert from "node:assert/strict";
import { kafkaBootstrap, registryUrl, uniqueName } from "../support.ts";

const root = new URL("../../", import.meta.url).pathname;
const readme = await Deno.readTextFile(`${root}README.md`);

/** The first ```ts block after `heading`. */
function codeAfter(heading: string): string {
  const from = readme.indexOf(heading);
  assert.ok(from >= 0, `README has no "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(from));
  assert.ok(block, `no code after "${heading}"`);
  return block[1];
}

/** The Deno permissions the Install table gives for `deno run`. */
function denoPermissions(): string[] {
  const run = /`deno run ((?:--allow-\w+ )+)main\.ts`/.exec(readme);
  assert.ok(run, "README's Install table has no `deno run ... main.ts`");
  return run[1].trim().split(" ");
}

const runtimes: Record<string, (file: string) => [string, string[]]> = {
  deno: (file) => ["deno", ["run", ...denoPermissions(), file]],
  bun: (file) => ["bun", [file]],
  node: (file) => ["node", ["--import", "tsx", file]],
};

for (const [runtime, command] of Object.entries(runtimes)) {
  Deno.test(`README's first program runs and exits on ${runtime} [deno]`, async () => {
    const topic = uniqueName("readme-orders");
    const source = codeAfter("### A first program")
      .replace('"@flowodm/flowodm"', JSON.stringify(`${root}mod.ts`))
      .replace('"localhost:9092"', JSON.stringify(kafkaBootstrap()))
      .replace('"http://localhost:8081"', JSON.stringify(registryUrl()))
      .replace('topic: "orders"', `topic: "${topic}"`)
      .replace('"order-processor"', JSON.stringify(uniqueName("readme-group")));
    assert.ok(source.includes(topic) && source.includes(`${root}mod.ts`), "substitutions applied");
    await Deno.mkdir(`${root}.flowodm/scratch`, { recursive: true });
    const file = await Deno.makeTempFile({ dir: `${root}.flowodm/scratch`, suffix: ".ts" });
    try {
      await Deno.writeTextFile(file, source);
      const [cmd, args] = command(file);
      const child = new Deno.Command(cmd, {
        args,
        cwd: root,
        stdout: "piped",
        stderr: "piped",
        // The program itself says where Kafka is; nothing may come from the environment.
        clearEnv: true,
        env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
      }).spawn();
      // It must end by itself (Node did not before close() was in the README).
      const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      const { code, stdout, stderr } = await child.output();
      clearTimeout(killer);
      const output = new TextDecoder().decode(stdout);
      assert.equal(code, 0, `exit ${code}\n${output}\n${new TextDecoder().decode(stderr)}`);
      assert.match(output, /^12\.5 [0-2] 0$/m);
    } finally {
      await Deno.remove(file);
    }
  });
}
