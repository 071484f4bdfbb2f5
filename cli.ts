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
import process from "node:process";
import { main } from "./src/cli/main.ts";

if (import.meta.main) {
  process.exit(await main(process.argv.slice(2)));
}
