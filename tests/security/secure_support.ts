/**
 * What the security tests share: the secured stack's description (started
 * once per run by scripts/test.ts, named by FLOWODM_SECURE_STACK), a
 * produce-and-consume round trip, and a loopback OAuth token endpoint.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import process from "node:process";
import { Connection, type ConnectOptions } from "../../src/config/connection.ts";
import { env, runtime, uniqueName } from "../support.ts";

/** The secured stack as scripts/stack/secure.ts describes it (throwaway test values). */
export interface SecureStack {
  saslSsl: string;
  ssl: string;
  files: {
    ca: string;
    clientCert: string;
    clientKey: string;
    otherCa: string;
    otherClientCert: string;
    otherClientKey: string;
    jwkPrivate: string;
  };
  users: Record<"plain" | "scram256" | "scram512", { username: string; password: string }>;
  registry: {
    https: string;
    mtls: string;
    bearer: string;
    username: string;
    password: string;
    token: string;
  };
}

const path = env("FLOWODM_SECURE_STACK");

/** The description, or undefined outside `deno task test` (the tests then report as skipped). */
export const secure: SecureStack | undefined = path
  ? JSON.parse(readFileSync(path, "utf8"))
  : undefined;

/** Why a test is skipped when the secured stack is not running. */
export const skip = secure ? false : "FLOWODM_SECURE_STACK is not set: run through deno task test";

const encoder = new TextEncoder();

/** Creates a topic, produces three messages and reads them back through `options`. */
export async function roundTrip(options: ConnectOptions): Promise<void> {
  const connection = new Connection(options);
  try {
    const transport = await connection.transport();
    const topic = uniqueName("secure");
    const admin = await transport.admin();
    try {
      await admin.ensureTopic({ topic, partitions: 1 });
    } finally {
      await admin.close();
    }
    const producer = await transport.producer();
    const sent = await producer.send(
      ["a", "b", "c"].map((v) => ({ topic, key: null, value: encoder.encode(v) })),
    );
    assert.ok(sent.every((r) => r.ok), JSON.stringify(sent.map((r) => r.ok)));
    const consumer = await transport.consumer({ groupId: uniqueName("g"), fromBeginning: true });
    await consumer.subscribe([topic]);
    const got: string[] = [];
    const deadline = Date.now() + 60_000;
    while (got.length < 3 && Date.now() < deadline) {
      for (const m of await consumer.poll(10, 500)) got.push(new TextDecoder().decode(m.value!));
    }
    assert.deepEqual(got, ["a", "b", "c"]);
    await consumer.close();
  } finally {
    await connection.close();
  }
}

const base64url = (bytes: Uint8Array | string) =>
  btoa(typeof bytes === "string" ? bytes : String.fromCharCode(...bytes))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** A JWT signed with the key whose public half the broker trusts. */
export async function signedToken(subject: string): Promise<string> {
  const jwk = JSON.parse(readFileSync(secure!.files.jwkPrivate, "utf8"));
  const key = await crypto.subtle.importKey(
    "jwk",
    {
      kty: jwk.kty,
      n: jwk.n,
      e: jwk.e,
      d: jwk.d,
      p: jwk.p,
      q: jwk.q,
      dp: jwk.dp,
      dq: jwk.dq,
      qi: jwk.qi,
    },
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: jwk.kid }));
  const payload = base64url(
    JSON.stringify({ sub: subject, iat: now, exp: now + 3600, scope: "kafka" }),
  );
  const signature = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    key,
    encoder.encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}

/** One port per runtime, so that runtimes never collide. */
const tokenPorts = { deno: 29096, node: 29097, bun: 29098 } as const;

/** The command that runs a TypeScript file on this runtime. */
export function runtimeCommand(file: string): [string, string[]] {
  if (runtime === "deno") return [process.execPath, ["run", "-A", file]];
  if (runtime === "node") return [process.execPath, ["--import", "tsx", file]];
  return [process.execPath, [file]];
}

/**
 * An OAuth token endpoint on loopback (client-credentials grant), served by
 * token_server.ts in a child process: a server in the test's own process
 * could not answer while a blocking librdkafka call holds Bun's JS thread.
 */
export async function tokenEndpoint(
  clientId: string,
  clientSecret: string,
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  const port = tokenPorts[runtime];
  const [command, args] = runtimeCommand(new URL("./token_server.ts", import.meta.url).pathname);
  const child = spawn(command, [...args, String(port), clientId, clientSecret], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let count = 0;
  let output = "";
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      count = output.split("\n").filter((line) => line === "token").length;
      if (output.includes("listening")) resolve();
    });
    child.on("close", () => reject(new Error(`the token endpoint ended: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/token`,
    requests: () => count,
    close: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
