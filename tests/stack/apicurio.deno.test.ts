/**
 * The stack's registry as a test starts its own: Apicurio on ports of its own,
 * with schemas in an H2 file that outlive a killed process.
 */
import assert from "node:assert/strict";
import { startApicurio } from "../../scripts/stack/apicurio.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

const schema = JSON.stringify({
  type: "record",
  name: "Persisted",
  fields: [{ name: "id", type: "string" }],
});

Deno.test({
  name: "an Apicurio instance killed with SIGKILL restarts with its schemas and levels [deno]",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "flowodm-apicurio-" });
    const first = await startApicurio({ port: 18083, managementPort: 18084, dataDir });
    let second;
    try {
      const client = new SchemaRegistryClient({ url: first.url, retries: 0 });
      assert.equal(await client.compatibility(), "BACKWARD");
      const id = await client.register("persisted-value", schema);
      await client.setCompatibility("FULL", "persisted-value");
      first.kill("SIGKILL");
      await first.stop();

      second = await startApicurio(first.options);
      assert.notEqual(second.pid, first.pid);
      const again = new SchemaRegistryClient({ url: second.url, retries: 0 });
      assert.equal(JSON.parse(await again.schemaById(id)).name, "Persisted");
      assert.deepEqual(await again.versions("persisted-value"), [1]);
      assert.equal(await again.compatibility("persisted-value"), "FULL");
    } finally {
      await first.stop();
      await second?.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
