/** compose.yaml is valid for Docker Compose, where Compose is installed; reported as skipped elsewhere. */
import assert from "node:assert/strict";

async function composeAvailable(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("docker", {
      args: ["compose", "version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

Deno.test({
  name: "compose.yaml passes `docker compose config` [deno]",
  ignore: !(await composeAvailable()),
  fn: async () => {
    const { code, stderr } = await new Deno.Command("docker", {
      args: ["compose", "-f", "compose.yaml", "config", "-q"],
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  },
});
