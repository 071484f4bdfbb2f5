/**
 * The compiled `flowodm` binary for the CLI tests: built once with
 * `deno task compile`, reused while `dist/flowodm` is newer than every source
 * it is built from; and a way to run it that checks what every run must hold
 * (no colours without a terminal, no secret in any output).
 */
import assert from "node:assert/strict";
import { registryUrl } from "../support.ts";

const root = new URL("../../", import.meta.url).pathname;
/** The binary under test. */
export const binary = `${root}dist/flowodm`;

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) newest = Math.max(newest, await newestSource(path));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) {
      newest = Math.max(newest, (await Deno.stat(path)).mtime?.getTime() ?? 0);
    }
  }
  return newest;
}

/** Builds the binary unless an up-to-date one exists. */
export async function ensureBinary(): Promise<void> {
  const sources = Math.max(
    await newestSource(`${root}src`),
    ...await Promise.all(
      ["cli.ts", "mod.ts", "deno.json", "scripts/compile.ts"].map(async (file) =>
        (await Deno.stat(`${root}${file}`)).mtime?.getTime() ?? 0
      ),
    ),
  );
  const built = await Deno.stat(binary).then((s) => s.mtime?.getTime() ?? 0, () => 0);
  if (built > sources) return;
  const { code, stderr } = await new Deno.Command("deno", {
    args: ["task", "compile"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, `deno task compile failed:\n${new TextDecoder().decode(stderr)}`);
}

/** A secret every run gets in its environment; no output may show it. */
export const secret = `s3cr3t-${crypto.randomUUID()}`;
const userInfo = `ci-user:${secret}`;

/** What one run of the binary produced. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs the binary with the real registry configured in the environment. */
export async function flowodm(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(binary, {
    args: [...args],
    cwd: options.cwd,
    env: {
      SCHEMA_REGISTRY_URL: registryUrl(),
      SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: userInfo,
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const out = decoder.decode(stdout);
  const err = decoder.decode(stderr);
  const all = out + err;
  assert.ok(!all.includes(secret), `a secret was printed by flowodm ${args.join(" ")}`);
  assert.ok(!all.includes(btoa(userInfo)), `encoded credentials were printed`);
  assert.ok(!all.includes("\u001b["), `colours without a terminal in: ${all}`);
  return {
    code,
    stdout: out,
    stderr: err,
    json<T>() {
      try {
        return JSON.parse(out) as T;
      } catch {
        throw new Error(`not JSON (exit ${code}):\n${out}\n${err}`);
      }
    },
  };
}

/** Asserts the exit code, showing the run's output when it differs. */
export function assertExit(run: Run, expected: number): void {
  assert.equal(
    run.code,
    expected,
    `exit ${run.code}, expected ${expected}\n${run.stdout}\n${run.stderr}`,
  );
}

/** A port on which nothing listens. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

const userDirs: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of userDirs) Deno.removeSync(dir, { recursive: true });
});

/** A directory outside the repository holding the given files; removed when the tests end. */
export async function userDir(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "flowodm-cli-" });
  userDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return dir;
}

/** A models module as a user writes it: only `valibot` and `@flowodm/flowodm` imports. */
export function modelsModule(body: string): string {
  return `import * as v from "valibot";\nimport { defineModel } from "@flowodm/flowodm";\n${body}\n`;
}
