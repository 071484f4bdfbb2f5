/**
 * The package's entries pull in only their own transport: the main entry
 * none (connect() imports the one it needs lazily), `./native` no FFI code,
 * `./ffi` not the Node addon's module, `./testing` neither.
 */
import assert from "node:assert/strict";

async function modulesOf(entry: string): Promise<string[]> {
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const graph = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: { specifier: string }[];
  };
  return graph.modules.map((m) => m.specifier).filter((s) => s.startsWith("file:"));
}

const driver = (modules: string[], name: string) =>
  modules.filter((specifier) => specifier.includes(`/src/transport/${name}/`));

for (
  const [entry, own, others] of [
    ["mod.ts", undefined, ["ffi", "native", "memory"]],
    ["native.ts", "native", ["ffi", "memory"]],
    ["ffi.ts", "ffi", ["native", "memory"]],
    ["testing.ts", "memory", ["ffi", "native"]],
  ] as const
) {
  Deno.test(`${entry} pulls in ${own ?? "no"} transport [deno]`, async () => {
    const modules = await modulesOf(entry);
    if (own) assert.ok(driver(modules, own).length > 0, `${entry} holds the ${own} transport`);
    for (const other of others) assert.deepEqual(driver(modules, other), [], `${entry}: ${other}`);
  });
}
