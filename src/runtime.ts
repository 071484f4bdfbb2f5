/**
 * Which JavaScript runtime runs FlowODM, decided in this one place: Deno and
 * Bun announce themselves with a global (`Deno`, `Bun`); anything else is
 * taken for Node. Deno is asked first, as Bun and Node define no `Deno`.
 *
 * @module
 */

/** A runtime FlowODM runs on. */
export type RuntimeName = "deno" | "bun" | "node";

/** The runtime of a global scope. */
export function detectRuntime(scope: object = globalThis): RuntimeName {
  if ("Deno" in scope) return "deno";
  if ("Bun" in scope) return "bun";
  return "node";
}

/**
 * The runtime running this process.
 *
 * @example
 * ```ts
 * import { runtime } from "./runtime.ts";
 * if (runtime === "node") console.log("the native transport");
 * ```
 */
export const runtime: RuntimeName = detectRuntime();

/**
 * Bun's global namespace when running on Bun, typed by the caller with the
 * little it uses (the type checker runs on Deno and has no Bun types).
 */
export function bunNamespace<T>(): T | undefined {
  return runtime === "bun" ? (globalThis as { Bun?: T }).Bun : undefined;
}

/** The runtime and its version, e.g. `deno 2.9.6`, `bun 1.4.5` or `node 20.20.2`. */
export function runtimeVersion(): string {
  const scope = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { version: string };
  };
  if (runtime === "deno") return `deno ${scope.Deno?.version.deno}`;
  if (runtime === "bun") return `bun ${scope.Bun?.version}`;
  return `node ${scope.process?.version.replace(/^v/, "")}`;
}

/**
 * Lets the process exit while `timer` is pending: Deno's timers are numbers
 * unref'd through `Deno.unrefTimer`, Node's and Bun's are objects with `unref()`.
 */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === "number") denoNamespace()?.unrefTimer(timer);
  else (timer as { unref?: () => void }).unref?.();
}

/** Deno's global namespace when running on Deno, for Deno-only APIs. */
export function denoNamespace(): typeof Deno | undefined {
  return runtime === "deno" ? (globalThis as { Deno?: typeof Deno }).Deno : undefined;
}
