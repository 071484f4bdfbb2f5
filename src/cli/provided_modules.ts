/**
 * In a binary built by `bun build --compile`, the models a user points the
 * CLI at are imported at run time, from anywhere on disk, with no
 * node_modules beside them. So the binary serves its own copy of `valibot`
 * and of FlowODM to every import of them: by name (`valibot`, `npm:valibot`,
 * `@flowodm/flowodm`, `jsr:@flowodm/flowodm`, and their `/testing` and `/ffi`
 * entries) and by path (any module inside a
 * FlowODM checkout or package, e.g. `../flowodm/mod.ts`, which would
 * otherwise load that copy's sources and fail on their own npm imports).
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as valibot from "valibot";
import { bunNamespace } from "../runtime.ts";

interface OnLoadArgs {
  readonly path: string;
}
type OnLoadResult =
  | { exports: object; loader: "object" }
  | { contents: string; loader: "ts" | "tsx" | "js" | "jsx" };
interface BunPluginBuilder {
  module(specifier: string, load: () => { exports: object; loader: "object" }): void;
  onLoad(options: { filter: RegExp }, load: (args: OnLoadArgs) => OnLoadResult): void;
}
interface BunRuntime {
  plugin(plugin: { name: string; setup(builder: BunPluginBuilder): void }): void;
}

/** The names FlowODM is published under: JSR's, and JSR's npm compatibility name. */
const libraryNames = new Set(["@flowodm/flowodm", "@jsr/flowodm__flowodm"]);
const manifests = ["deno.json", "jsr.json", "package.json"];

type Root = "checkout" | "package" | undefined;
const rootCache = new Map<string, Root>();

/** Whether `dir` is a FlowODM checkout (deno.json or jsr.json) or npm package (package.json). */
function libraryRoot(dir: string): Root {
  if (rootCache.has(dir)) return rootCache.get(dir);
  let found: Root;
  for (const file of manifests) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      if (libraryNames.has(JSON.parse(readFileSync(path, "utf8")).name)) {
        found = file === "package.json" ? "package" : "checkout";
        break;
      }
    } catch { /* not JSON: not ours */ }
  }
  rootCache.set(dir, found);
  return found;
}

/**
 * Whether the module at `path` is part of a copy of FlowODM: any module of its
 * npm package, or `mod.ts` and `src/` of a checkout (whose examples, tests and
 * user models are not the library and load as they are).
 */
export function isLibraryModule(path: string): boolean {
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    const root = libraryRoot(dir);
    if (root === "package") return true;
    if (root === "checkout") {
      const inside = relative(dir, path).split(sep).join("/");
      return inside === "mod.ts" || inside in subpathEntries || inside.startsWith("src/");
    }
    // A package's own dependencies are not the package.
    if (basename(dir) === "node_modules") return false;
  }
  return false;
}

/** The subpath entries a binary serves beside the main one (`./native` needs Node's addon). */
const subpathEntries: Record<string, string> = { "testing.ts": "testing", "ffi.ts": "ffi" };

function loaderOf(path: string): "ts" | "tsx" | "js" | "jsx" {
  if (path.endsWith("x")) return path.endsWith(".tsx") ? "tsx" : "jsx";
  return /\.[cm]?ts$/.test(path) ? "ts" : "js";
}

let provided = false;
/**
 * The folder of the running copy of FlowODM when it runs from source. A binary
 * bundles every module under one virtual `/$bunfs/` URL: it has no such folder.
 */
const ownRoot = import.meta.url.includes("/$bunfs/")
  ? undefined
  : fileURLToPath(new URL("../../", import.meta.url));

/** Under Bun, serves the binary's valibot and FlowODM to modules imported from now on. */
export async function provideLibraryToBun(): Promise<void> {
  const bun = bunNamespace<BunRuntime>();
  if (!bun || provided) return;
  provided = true;
  const library = await import("../../mod.ts");
  const subpaths: Record<string, object> = {
    testing: await import("../../testing.ts"),
    ffi: await import("../../ffi.ts"),
  };
  const served = (path: string): object => {
    const entry = Object.entries(subpathEntries).find(([file]) => path.endsWith(`${sep}${file}`));
    return entry ? subpaths[entry[1]] : library;
  };
  bun.plugin({
    name: "flowodm-provided-modules",
    setup(builder) {
      for (const name of ["valibot", "npm:valibot"]) {
        builder.module(name, () => ({ exports: valibot, loader: "object" }));
      }
      for (const name of ["@flowodm/flowodm", "jsr:@flowodm/flowodm"]) {
        builder.module(name, () => ({ exports: library, loader: "object" }));
        for (const [subpath, exports] of Object.entries(subpaths)) {
          builder.module(`${name}/${subpath}`, () => ({ exports, loader: "object" }));
        }
      }
      // Any module inside another copy of FlowODM is served the binary's exports
      // of the library; every other module loads as it is, the running library's
      // own lazily imported modules (e.g. its Bun FFI loader) above all.
      builder.onLoad(
        { filter: /\.[cm]?[jt]sx?$/ },
        ({ path }) =>
          isLibraryModule(path) && !(ownRoot && path.startsWith(ownRoot))
            ? { exports: served(path), loader: "object" }
            : { contents: readFileSync(path, "utf8"), loader: loaderOf(path) },
      );
    },
  });
}
