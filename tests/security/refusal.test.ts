/**
 * Refused connections to the secured broker fail fast with a typed error that
 * names the broker and the mechanism, and no secret appears anywhere: not in
 * errors, not in how a connection prints, not in stdout or stderr (where
 * librdkafka logs on Deno and Bun).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { test } from "node:test";
import { runtimeCommand, secure, skip } from "./secure_support.ts";

const probe = new URL("./refusal_probe.ts", import.meta.url).pathname;

interface Outcome {
  case: string;
  ms: number;
  error?: string;
  message?: string;
  inspected: string;
  connection: string[];
}

async function runProbe(mode: string, wrongPassword: string) {
  const [command, args] = runtimeCommand(probe);
  // Ended by us once it printed "done": Node's client would finish its own 30 s connect first.
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(command, [...args, wrongPassword, mode], {
        // Node's client keeps a libuv thread for its connect attempt even after the refusal
        // was reported; five refused clients in one process would queue behind four.
        env: { ...process.env, UV_THREADPOOL_SIZE: "16" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "", err = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
      child.stdout.on("data", (chunk) => {
        out += chunk;
        if (out.includes('"done"')) child.kill("SIGKILL");
      });
      child.stderr.on("data", (chunk) => err += chunk);
      child.on("error", reject);
      child.on("close", () => {
        clearTimeout(timer);
        if (out.includes('"done"')) resolve({ stdout: out, stderr: err });
        else reject(new Error(`the probe ended early:\n${out}\n${err}`));
      });
    },
  );
  const outcomes = new Map<string, Outcome>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const outcome = JSON.parse(line) as Outcome;
    outcomes.set(outcome.case, outcome);
  }
  return { outcomes, output: stdout + stderr };
}

function assertNoSecret(output: string, wrongPassword: string): void {
  const secrets = [
    wrongPassword,
    secure!.users.plain.password,
    secure!.users.scram256.password,
    secure!.users.scram512.password,
  ];
  for (const secret of secrets) assert.ok(!output.includes(secret), "a password was printed");
}

for (const mode of ["producer", "consumer"]) {
  test(`refused ${mode}s fail within 15 s, naming the broker and mechanism, never a password`, {
    skip,
    timeout: 180_000,
  }, async () => {
    const wrongPassword = `wrong-${crypto.randomUUID()}`;
    const { outcomes, output } = await runProbe(mode, wrongPassword);
    assertNoSecret(output, wrongPassword);
    const expect = (name: string, ...parts: string[]) => {
      const outcome = outcomes.get(name);
      assert.ok(outcome, `no outcome for ${name}:\n${output.slice(-2000)}`);
      assert.equal(outcome.error, "TransportError", `${name}: ${outcome.message}`);
      assert.ok(outcome.ms < 15_000, `${name} took ${outcome.ms} ms`);
      for (const part of parts) {
        assert.ok(
          outcome.message!.includes(part),
          `${name}: "${part}" not in ${outcome.message}`,
        );
      }
      for (const shown of outcome.connection) assert.ok(!shown.includes("password"), shown);
    };
    expect("scram-wrong-password", "SCRAM-SHA-256", secure!.saslSsl, "_AUTHENTICATION");
    expect("plain-wrong-password", "PLAIN", secure!.saslSsl, "_AUTHENTICATION");
    expect("other-ca", secure!.saslSsl, "certificate verify failed", "_SSL");
    expect("host-mismatch", secure!.ssl.replace("127.0.0.1", "localhost"), "_SSL");
    expect("client-certificate-of-another-ca", secure!.ssl, "refused the client certificate");
  });
}
