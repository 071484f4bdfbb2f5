/**
 * `deno task compile`: builds the `flowodm` CLI as one self-contained
 * executable, `dist/flowodm` (`dist/flowodm.exe` for Windows targets).
 *
 *   deno task compile                                   # this machine's target
 *   deno task compile --target aarch64-apple-darwin     # cross-compile
 *   deno task compile --include ./models.ts             # embed a models module (deno builds)
 *   deno task compile --builder bun                     # build with `bun build --compile`
 *
 * `deno compile` needs its `denort` runtime for the target, which it downloads
 * from dl.deno.land on first use (then caches in DENO_DIR) unless DENORT_BIN
 * names one. Where that download is impossible (an offline machine) and no
 * DENORT_BIN is set, the default builder (`auto`) falls back to
 * `bun build --compile`, which needs no download for the machine's own
 * target, and says so.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    target: { type: "string" },
    include: { type: "string", multiple: true },
    builder: { type: "string", default: "auto" },
    output: { type: "string" },
  },
});
const builder = values.builder as "auto" | "deno" | "bun";
if (!["auto", "deno", "bun"].includes(builder)) {
  console.error(`--builder ${builder}: use auto, deno or bun`);
  Deno.exit(2);
}
const target = values.target ?? Deno.build.target;
const output = values.output ?? (target.includes("windows") ? "dist/flowodm.exe" : "dist/flowodm");
const includes = values.include ?? [];

// The binary reads models and .avsc files, writes --output files, talks to the
// registry, reads its configuration from the environment, and (`flowodm worker`)
// calls librdkafka through FFI; nothing more.
const permissions = ["--allow-read", "--allow-write", "--allow-net", "--allow-env", "--allow-ffi"];

/** Deno targets and their `bun build --compile --target` names. */
const bunTargets: Record<string, string> = {
  "x86_64-unknown-linux-gnu": "bun-linux-x64",
  "aarch64-unknown-linux-gnu": "bun-linux-arm64",
  "x86_64-apple-darwin": "bun-darwin-x64",
  "aarch64-apple-darwin": "bun-darwin-arm64",
  "x86_64-pc-windows-msvc": "bun-windows-x64",
};

async function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  console.error(`$ ${cmd} ${args.join(" ")}`);
  const child = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).spawn();
  const { code, stdout, stderr } = await child.output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  return { code, output: text };
}

async function withDeno(): Promise<{ code: number; output: string }> {
  return await run("deno", [
    "compile",
    // Without these, the project's whole node_modules folder (hundreds of MB) is embedded;
    // with them, only the npm packages the CLI imports (valibot, avsc: about 2 MB).
    "--node-modules-dir=none",
    "--exclude-unused-npm",
    ...permissions,
    "--target",
    target,
    ...includes.flatMap((path) => ["--include", path]),
    "--output",
    output,
    "cli.ts",
  ]);
}

async function withBun(): Promise<{ code: number; output: string }> {
  if (includes.length) {
    console.error("--include is for deno builds: a bun-built flowodm imports models at run time");
  }
  const bunTarget = bunTargets[target];
  if (!bunTarget) return { code: 2, output: `bun cannot build for ${target}` };
  return await run("bun", [
    "build",
    "--compile",
    "--minify-syntax",
    "--minify-whitespace", // not identifiers: error class names are part of the output
    `--target=${bunTarget}`,
    "./cli.ts",
    "--outfile",
    output,
  ]);
}

await Deno.mkdir("dist", { recursive: true });
let result: { code: number; output: string };
if (builder === "bun") {
  result = await withBun();
} else {
  result = await withDeno();
  const denortUnreachable = /dl\.deno\.land|Setting up base binary/.test(result.output);
  if (result.code !== 0 && builder === "auto" && denortUnreachable && !Deno.env.get("DENORT_BIN")) {
    console.error(result.output.trim());
    console.error(
      "\ndeno compile could not get its denort runtime (dl.deno.land is unreachable and DENORT_BIN " +
        "is not set); building with `bun build --compile` instead. To build with Deno offline, set " +
        "DENORT_BIN to a denort binary of this Deno version.\n",
    );
    result = await withBun();
  }
}
console.error(result.output.trim());
if (result.code !== 0) {
  console.error(`compile failed (exit ${result.code})`);
  Deno.exit(result.code);
}
const { size } = await Deno.stat(output);
console.error(`built ${output} (${(size / 1024 / 1024).toFixed(1)} MiB) for ${target}`);
