import { denoNamespace } from "../runtime.ts";

/**
 * Calls `onSignal` on SIGTERM or SIGINT under Deno, Node or Bun; returns a
 * function that removes the listeners.
 */
export function onTerminate(onSignal: () => void): () => void {
  const signals = ["SIGTERM", "SIGINT"] as const;
  const deno = denoNamespace();
  if (deno) {
    for (const signal of signals) deno.addSignalListener(signal, onSignal);
    return () => {
      for (const signal of signals) deno.removeSignalListener(signal, onSignal);
    };
  }
  const process = (globalThis as unknown as {
    process?: { on(s: string, f: () => void): void; off(s: string, f: () => void): void };
  }).process;
  if (!process) return () => {};
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
