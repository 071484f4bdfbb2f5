/**
 * Reads the process environment into a record for the pure resolution in
 * environment.ts. Only the variables it names are read, one by one, so a
 * Deno permission limited to those names is enough; without permission a
 * variable counts as unset.
 *
 * @module
 */
import { denoNamespace } from "../runtime.ts";
import { environmentVariables } from "./environment.ts";

/** One variable of this process; unset, or unreadable without Deno's --allow-env, is undefined. */
export function processVariable(name: string): string | undefined {
  const deno = denoNamespace();
  if (deno) {
    try {
      return deno.env.get(name);
    } catch {
      return undefined; // no --allow-env: the variable counts as unset
    }
  }
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env[name];
}

/** The connection variables of this process, unset ones left out. */
export function readEnvironment(): Record<string, string> {
  const record: Record<string, string> = {};
  for (const name of environmentVariables) {
    const value = processVariable(name);
    if (value !== undefined) record[name] = value;
  }
  return record;
}
