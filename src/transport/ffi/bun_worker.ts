/**
 * Bun's worker for librdkafka calls that wait on the network (metadata,
 * committed offsets, seek, destroy): it opens the same library and runs them
 * off the JS thread. Pointers are plain addresses in Bun, valid in every
 * thread; buffers arrive as SharedArrayBuffer views, so out-parameters are
 * written where the caller reads them.
 *
 * @module
 */
import { symbols, type SymbolSpec } from "./symbols.ts";
import { bunTypes } from "./bun_types.ts";

const bunFfiModule = "bun:ffi";

// deno-lint-ignore no-explicit-any
const ffi: any = await import(bunFfiModule);
// deno-lint-ignore no-explicit-any
const worker = globalThis as any;

// deno-lint-ignore no-explicit-any
let lib: any = null;

worker.onmessage = (
  event: { data: { id: number; path?: string; name?: string; args?: unknown[] } },
) => {
  const { id, path, name, args } = event.data;
  try {
    if (path !== undefined) {
      const defs: Record<string, { args: string[]; returns: string }> = {};
      for (const [symbol, spec] of Object.entries(symbols) as [string, SymbolSpec][]) {
        if (spec.blocking !== "call") continue;
        defs[symbol] = { args: spec.args.map((t) => bunTypes[t]), returns: bunTypes[spec.result] };
      }
      lib = ffi.dlopen(path, defs);
      worker.postMessage({ id, result: null });
      return;
    }
    const result = lib.symbols[name!](...args!);
    worker.postMessage({ id, result: result ?? null });
  } catch (error) {
    worker.postMessage({ id, error: String(error) });
  }
};
