/**
 * The `flowodm` command line: schema management for CI/CD pipelines. Run
 * `flowodm --help` for the commands; exit codes are 0 ok, 1 check failed,
 * 2 usage error, 3 registry or network error.
 *
 * @example
 * ```sh
 * deno run -A jsr:@flowodm/flowodm/cli validate --models ./models.ts --registry --strict
 * ```
 *
 * @module
 */
import { realpathSync } from "node:fs";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { main } from "./src/cli/main.ts";

function isEntryPoint(): boolean {
  // Node 20 has no import.meta.main: compare the script it was started with.
  if (import.meta.main !== undefined) return import.meta.main;
  const script = process.argv[1];
  return Boolean(script) && pathToFileURL(realpathSync(script)).href === import.meta.url;
}

if (isEntryPoint()) {
  process.exit(await main(process.argv.slice(2)));
}
