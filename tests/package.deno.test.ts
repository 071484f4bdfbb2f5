/** The package stays publishable and its public API documented: the checks JSR and reviewers apply. */
import assert from "node:assert/strict";

async function deno(...args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

for (
  const [name, args] of [
    ["deno doc --lint mod.ts", ["doc", "--lint", "mod.ts"]],
    ["deno publish --dry-run", ["publish", "--dry-run", "--allow-dirty"]],
    ["deno fmt --check", ["fmt", "--check"]],
    ["deno lint", ["lint"]],
    // Node and Bun run test files without type checking; this covers them, the bench and the scripts.
    ["deno check .", ["check", "."]],
  ] as const
) {
  Deno.test(`${name} is clean [deno]`, async () => {
    const { code, output } = await deno(...args);
    assert.equal(code, 0, output);
  });
}
