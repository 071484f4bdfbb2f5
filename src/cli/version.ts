/**
 * The CLI's version: the package's, read from deno.json so that they cannot drift.
 *
 * @module
 */
import config from "../../deno.json" with { type: "json" };
import { runtimeVersion } from "../runtime.ts";

/** The package version, e.g. `0.1.0`. */
export const version: string = config.version;

/** The runtime the CLI runs on, e.g. `deno 2.9.6` or `bun 1.4.5` (what built a binary). */
export function runtimeName(): string {
  return runtimeVersion();
}
