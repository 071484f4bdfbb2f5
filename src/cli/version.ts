/**
 * The CLI's version: the package's, read from deno.json so that they cannot drift.
 *
 * @module
 */
import config from "../../deno.json" with { type: "json" };

/** The package version, e.g. `0.1.0`. */
export const version: string = config.version;

/** The runtime the CLI runs on, e.g. `deno 2.9.6` or `bun 1.4.5` (what built a binary). */
export function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { version: string };
  };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${g.process?.version.replace(/^v/, "")}`;
}
