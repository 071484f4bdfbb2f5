/**
 * The use-case examples run on every runtime, in-process (memory:// and mock://, which each
 * example chooses itself when nothing is configured) and against the real stack (the environment
 * names it), and tell what happened.
 */
import assert from "node:assert/strict";
import { kafkaBootstrap, registryUrl } from "../support.ts";

const runtimes: Record<string, (file: string) => [string, string[]]> = {
  deno: (file) => ["deno", ["run", "-A", file]],
  bun: (file) => ["bun", [file]],
  node: (file) => ["node", ["--import", "tsx", file]],
};

const base = {
  PATH: Deno.env.get("PATH") ?? "",
  HOME: Deno.env.get("HOME") ?? "",
  // examples/worker.ts's health server: below the ephemeral range, like tests/worker's ports.
  HEALTH_PORT: "29050",
};
const places = {
  "in-process": base,
  stack: { ...base, KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(), SCHEMA_REGISTRY_URL: registryUrl() },
} as const;

function lines(output: string, pattern: RegExp): string[] {
  return output.split("\n").filter((line) => pattern.test(line));
}

const checks: Record<string, (output: string) => void> = {
  "examples/microservice.ts": (output) => {
    assert.match(output, /^produced 6 orders to orders-\d+$/m);
    assert.deepEqual(
      lines(output, /^payment requested for /).map((line) => line.split(":")[0]).sort(),
      ["o-1", "o-2", "o-3", "o-4", "o-6"].map((id) => `payment requested for ${id}`),
    );
    assert.match(output, /^gateway timeout for o-3 \(attempt 1\), retrying$/m);
    assert.match(output, /^payment requested for o-3: 99.99 USD \(attempt 2\)$/m);
    assert.match(output, /^loop stopped: 5 processed, 3 retried, 1 dead-lettered$/m);
    assert.match(output, /holds o-1=2500, o-2=1250, o-3=9999, o-4=700, o-6=320$/m);
    assert.match(
      output,
      /^dead letter topic holds o-5 after 3 attempts: unsupported currency XYZ$/m,
    );
  },
  "examples/etl_batch.ts": (output) => {
    assert.match(output, /^extract: 1200 raw page views on page-views-\d+$/m);
    const batched = lines(output, /^batch \d+: /).map((line) => Number(line.split(" ")[2]));
    assert.equal(batched.reduce((sum, n) => sum + n, 0), 1200);
    assert.ok(batched.every((n) => n <= 400), `no batch above 400 views: ${batched}`);
    assert.match(output, /^committed: 1200 views processed, 0 failed$/m);
    assert.deepEqual(lines(output, /^page \//), [
      "page /home: 300 views",
      "page /pricing: 300 views",
      "page /docs: 300 views",
      "page /blog: 300 views",
    ]);
  },
  "examples/ml_inference.ts": (output) => {
    assert.match(output, /^sent 5 requests to inference-requests-\d+$/m);
    assert.deepEqual(lines(output, /^req-\d/), [
      'req-1 "I love this, great product" -> positive (0.98, lexicon-1)',
      'req-2 "The app is slow and broken" -> negative (0.98, lexicon-1)',
      'req-3 "Fast delivery" -> positive (0.73, lexicon-1)',
      'req-4 "Broken on arrival" -> negative (0.92, lexicon-1)',
      'req-5 "great support, fast answers" -> positive (0.95, lexicon-1)',
    ]);
    assert.match(output, /^server answered 5 requests$/m);
  },
  "examples/cdc_cache.ts": (output) => {
    assert.match(output, /^source wrote 8 change events and 2 tombstones$/m);
    assert.equal(lines(output, /^(created|updated|delete) p-/).length, 8);
    assert.deepEqual(lines(output, /^tombstone /).sort(), [
      "tombstone p-2: evicted",
      "tombstone p-4: evicted",
    ]);
    assert.match(output, /^updated p-1: Lamp 25 \(stock 5\)$/m);
    assert.deepEqual(lines(output, /^cache /), [
      "cache holds 2 products:",
      "cache p-1 = Lamp, price 25, stock 5",
      "cache p-3 = Chair, price 85, stock 7",
    ]);
  },
  "examples/worker.ts": (output) => {
    assert.match(output, /^produced 3 orders to worker-orders-\d+$/m);
    assert.match(output, /^\/readyz 200$/m);
    assert.match(output, /^mailed o-1=1250, o-2=4000, o-3=725$/m);
    assert.match(output, /^\/livez 200 live$/m);
    assert.match(output, /^\/stats billing: running, 3 processed$/m);
    assert.match(output, /^\/stats mailer: running, 3 processed$/m);
    assert.match(output, /^worker stopped$/m);
    assert.match(
      output,
      /^trace of o-1: send worker-orders -> process worker-orders -> send worker-invoices -> process worker-invoices$/m,
    );
  },
};

for (const [file, check] of Object.entries(checks)) {
  for (const [runtime, command] of Object.entries(runtimes)) {
    for (const [where, env] of Object.entries(places)) {
      Deno.test(`${file} runs on ${runtime}, ${where} [deno]`, async () => {
        const [cmd, args] = command(file);
        const { code, stdout, stderr } = await new Deno.Command(cmd, {
          args,
          stdout: "piped",
          stderr: "piped",
          clearEnv: true,
          env,
          signal: AbortSignal.timeout(120_000),
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
        check(output);
        assert.match(output, /^done$/m);
      });
    }
  }
}
