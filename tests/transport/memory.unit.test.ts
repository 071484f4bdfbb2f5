import { conformanceSuite } from "./conformance.ts";
import { createMemoryTransport } from "../../src/transport/memory/mod.ts";
import { createTransport } from "../../src/transport/select.ts";
import { test } from "node:test";
import assert from "node:assert/strict";

conformanceSuite(
  "memory",
  (options) =>
    Promise.resolve(
      createMemoryTransport({ bootstrapServers: "memory://conformance", ...options }),
    ),
  ["deno", "node", "bun"],
);

test("select: memory:// bootstrap gives the memory transport", async () => {
  const transport = await createTransport({ bootstrapServers: "memory://select" });
  assert.equal(transport.name, "memory");
  await transport.close();
});
