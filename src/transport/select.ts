/**
 * Picks the transport: an explicit choice wins; otherwise `memory://` means the
 * in-process broker, Node means `native`, Deno and Bun mean `ffi`. Each is
 * imported only when chosen, so no runtime loads another's native code.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { runtime } from "../runtime.ts";
import type { Transport, TransportConfig, TransportName } from "./types.ts";

/** The transport this runtime uses for `config` when none is named. */
export function defaultTransportName(config: TransportConfig): TransportName {
  if (config.transport) return config.transport;
  if (config.bootstrapServers.startsWith("memory://")) return "memory";
  return runtime === "node" ? "native" : "ffi";
}

// Module paths held in variables: type checkers and bundlers must not pull every transport in.
const modules: Record<TransportName, string> = {
  ffi: "./ffi/mod.ts",
  native: "./native/mod.ts",
  memory: "./memory/mod.ts",
};

/** Transport modules handed over by code that imported them itself (a compiled binary's CLI). */
const provided: Partial<Record<TransportName, Record<string, unknown>>> = {};

/**
 * Makes an already imported transport module the one `createTransport` uses:
 * a bundled binary cannot import a module by a path held in a variable.
 */
export function provideTransport(name: TransportName, module: Record<string, unknown>): void {
  provided[name] = module;
}

/**
 * Creates the transport for a cluster.
 *
 * @example
 * ```ts
 * import { createTransport } from "@flowodm/flowodm";
 * const transport = await createTransport({ bootstrapServers: "localhost:9092" });
 * const admin = await transport.admin();
 * console.log(await admin.listTopics());
 * await transport.close();
 * ```
 */
export async function createTransport(config: TransportConfig): Promise<Transport> {
  const name = defaultTransportName(config);
  let module: Record<string, unknown>;
  try {
    module = provided[name] ?? await import(modules[name]);
  } catch (cause) {
    throw new ConfigError(
      `the ${name} transport is not available in this build or runtime: ${
        (cause as Error).message
      }`,
      { cause },
    );
  }
  const factory = Object.values(module).find((exported) =>
    typeof exported === "function" && /^create\w*Transport$/.test(exported.name)
  ) as ((config: TransportConfig) => Promise<Transport>) | undefined;
  if (!factory) throw new ConfigError(`the ${name} transport module exports no create*Transport()`);
  return await factory(config);
}
