/** `stack:up` is idempotent: with the stack running, a second `up` starts nothing. */
import assert from "node:assert/strict";

async function stack(command: string): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: ["run", "-A", "scripts/stack.ts", command],
    stdout: "piped",
    stderr: "piped",
    env: { KAFKA_BOOTSTRAP_SERVERS: "", SCHEMA_REGISTRY_URL: "" },
  }).output();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, output);
  return output;
}

Deno.test({
  name: "a second stack:up reuses what listens and starts nothing [deno]",
  // Only meaningful when this run uses the local stack, not a configured cluster.
  ignore: Deno.env.get("FLOWODM_LOCAL_STACK") !== "1",
  fn: async () => {
    const output = await stack("up");
    assert.match(output, /kafka: already listening on 127\.0\.0\.1:9092/);
    assert.match(
      output,
      /registry: already listening on http:\/\/127\.0\.0\.1:8081\/apis\/ccompat\/v7/,
    );
    assert.doesNotMatch(output, /started pid/);
    const status = await stack("status");
    assert.match(status, /kafka\s+127\.0\.0\.1:9092\s+up/);
    assert.match(status, /registry\s+127\.0\.0\.1:8081\s+up.*Apicurio Registry.* 3\.3\.3,/);
  },
});
