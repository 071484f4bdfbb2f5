/** Deno's built-in OpenTelemetry (`OTEL_DENO=true`, no SDK) as the provider: the trace travels from produce to the handler. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, uniqueName } from "../support.ts";

const probe = new URL("./deno_builtin_probe.ts", import.meta.url).pathname;

if (runsOn(["deno"])) {
  test("with OTEL_DENO=true the handler runs in the trace the producer started", {
    timeout: 90_000,
  }, async () => {
    const { code, stdout, stderr } = await new Deno.Command("deno", {
      args: ["run", "-A", probe, uniqueName("otel-deno"), uniqueName("otel-deno-g")],
      env: {
        OTEL_DENO: "true",
        // Nothing listens there (this helper's port range): exports fail quietly, the trace does not.
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:47098",
        KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(),
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, out + new TextDecoder().decode(stderr));
    const carried = /^carried ([0-9a-f]{32})$/m.exec(out)?.[1];
    assert.ok(carried, `a traceparent header: ${out}`);
    assert.match(out, new RegExp(`^active ${carried}$`, "m"));
  });
}
