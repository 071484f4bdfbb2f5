/**
 * The `flowodm` command line: schema management for CI/CD pipelines.
 *
 * @example
 * ```sh
 * deno run -A jsr:@flowodm/flowodm/cli --help
 * ```
 *
 * @module
 */
if (import.meta.main) {
  console.log("flowodm: the CLI is not built yet");
}
