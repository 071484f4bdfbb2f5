/** Kafka Connect and PostgreSQL for the tests: started once per `deno task test` run (scripts/stack/connect.ts, postgres.ts). */
import { execFile } from "node:child_process";
import { Buffer } from "node:buffer";
import { createServer, type Server } from "node:http";
import { env, runtime } from "../support.ts";

/** The Kafka Connect REST URL the tests use. */
export function kafkaConnectUrl(): string {
  return env("KAFKA_CONNECT_URL") ?? "http://127.0.0.1:8083";
}

/** The PostgreSQL the tests use (any password works: trust authentication). */
export function postgresUrl(): string {
  return env("FLOWODM_POSTGRES_URL") ?? "postgresql://postgres:postgres@127.0.0.1:25432/postgres";
}

/** Host, port, user and database of {@link postgresUrl}, as Debezium's config wants them. */
export function postgresParts() {
  const url = new URL(postgresUrl());
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: decodeURIComponent(url.password || "postgres"),
    database: url.pathname.slice(1) || "postgres",
  };
}

/** Runs SQL through psql (Debian's client, installed with the server); resolves its output rows. */
export function sql(statement: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "psql",
      [postgresUrl(), "-v", "ON_ERROR_STOP=1", "-Atqc", statement],
      (error, stdout, stderr) =>
        error ? reject(new Error(`psql: ${stderr || error}`)) : resolve(stdout),
    );
  });
}

/** An identifier safe for PostgreSQL, Kafka topics and replication slots: [a-z0-9_]. */
export function uniqueIdent(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 7);
  return `${prefix}_${runtime}_${Date.now().toString(36)}_${random}`;
}

/** Runs a command to completion; resolves its exit code and output. */
export function runCommand(
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const processEnv = (globalThis as unknown as { process: { env: Record<string, string> } })
      .process.env;
    execFile(
      command,
      args,
      { env: { ...processEnv, ...extraEnv }, cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

const root = new URL("../../", import.meta.url).pathname;

/** The flowodm CLI from source on this test's runtime. */
export function cliCommand(): [string, string[]] {
  const cli = `${root}cli.ts`;
  if (runtime === "deno") return ["deno", ["run", "-A", cli]];
  if (runtime === "bun") return ["bun", [cli]];
  return ["node", ["--import", "tsx", cli]];
}

/** Runs `flowodm <args>` from source on this runtime. */
export function flowodmCli(args: string[], extraEnv: Record<string, string> = {}) {
  const [command, prefix] = cliCommand();
  return runCommand(command, [...prefix, ...args], extraEnv, root);
}

/**
 * A reverse proxy in front of the real Connect worker, on a port of this
 * helper's range: it serves Connect under `/base`, demands basic auth, and
 * answers 503 to the first `failFirst` requests (a worker behind a load
 * balancer that is restarting). It records the requests it saw.
 */
export async function flakyProxy(port: number, options: { failFirst: number; auth: string }) {
  const seen: { method: string; url: string; status: number }[] = [];
  let failures = options.failFirst;
  const server: Server = createServer(async (request, response) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of request) chunks.push(chunk as Uint8Array);
    const expected = `Basic ${btoa(options.auth)}`;
    let status: number;
    let body = "";
    if (request.headers.authorization !== expected) {
      status = 401;
      body = JSON.stringify({ error_code: 401, message: "bad credentials" });
    } else if (!request.url?.startsWith("/base/")) {
      status = 404;
    } else if (failures > 0) {
      failures--;
      status = 503;
      body = "<html>Service Unavailable</html>";
    } else {
      const upstream = await fetch(`${kafkaConnectUrl()}${request.url.slice("/base".length)}`, {
        method: request.method,
        headers: { "Content-Type": "application/json" },
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      status = upstream.status;
      body = await upstream.text();
    }
    seen.push({ method: request.method!, url: request.url!, status });
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    seen,
    failNext: (n: number) => void (failures = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Drops a replication slot once its connector's task let go of it (Debezium's slot.drop.on.stop may race a deletion). */
export async function dropSlot(slot: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = await sql(`select active from pg_replication_slots where slot_name = '${slot}'`);
    if (state.trim() === "") return;
    if (state.trim() === "f") {
      await sql(`select pg_drop_replication_slot('${slot}')`).catch(() => {});
    } else await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
