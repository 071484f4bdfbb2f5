/**
 * `@flowodm/flowodm/ffi`: the `ffi` transport, librdkafka's C API through
 * `Deno.dlopen` or `bun:ffi`, for Deno and Bun. `connect()` selects it by
 * itself on those runtimes (imported lazily, so the main entry pulls no FFI
 * code); import this entry to create the transport directly, or to ask which
 * librdkafka it loads. It needs `--allow-ffi` on Deno.
 *
 * @example
 * ```ts
 * import { createFfiTransport, librdkafkaVersion } from "@flowodm/flowodm/ffi";
 * console.log(await librdkafkaVersion());
 * const transport = await createFfiTransport({ bootstrapServers: "127.0.0.1:9092" });
 * const admin = await transport.admin();
 * console.log(await admin.listTopics());
 * await transport.close();
 * ```
 *
 * @module
 */
export { createFfiTransport, librdkafkaVersion } from "./src/transport/ffi/mod.ts";
export type * from "./src/transport/types.ts";
