/**
 * The `ffi` transport: librdkafka's C API through `Deno.dlopen` or `bun:ffi`.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import { runtime } from "../../runtime.ts";
import { clientContext } from "../common/client_context.ts";
import { assembleTransport } from "../common/transport.ts";
import type { Transport, TransportConfig } from "../types.ts";
import { FfiAdmin } from "./admin.ts";
import { FfiConsumer } from "./consumer.ts";
import { loadLibrdkafka } from "./load.ts";
import type { NativeLibrary, OpenLibrary } from "./native.ts";
import { FfiProducer } from "./producer.ts";
import { readString } from "./librdkafka.ts";

async function runtimeOpener(): Promise<OpenLibrary> {
  if (runtime === "deno") return (await import("./deno.ts")).openLibrary;
  if (runtime === "bun") return await (await import("./bun.ts")).bunOpener();
  throw new ConfigError(
    "the ffi transport runs on Deno and Bun; on Node use the native transport",
  );
}

const libraries = new Map<string, NativeLibrary>();

/** Opens librdkafka once per path for the life of the process. */
async function library(path?: string): Promise<NativeLibrary> {
  const cacheKey = path ?? "";
  let lib = libraries.get(cacheKey);
  if (!lib) {
    lib = loadLibrdkafka(await runtimeOpener(), path);
    libraries.set(cacheKey, lib);
  }
  return lib;
}

/**
 * Creates the `ffi` transport: Kafka through librdkafka's C API on Deno or
 * Bun. librdkafka is loaded from `librdkafkaPath`, `FLOWODM_LIBRDKAFKA`, the
 * `@confluentinc/kafka-javascript` build in `node_modules`, or the system.
 *
 * @example
 * ```ts
 * import { createFfiTransport } from "@flowodm/flowodm/ffi";
 * const transport = await createFfiTransport({ bootstrapServers: "127.0.0.1:9092" });
 * const producer = await transport.producer();
 * const [result] = await producer.send([
 *   { topic: "orders", key: null, value: new TextEncoder().encode("hello") },
 * ]);
 * if (result.ok) console.log(result.report.offset);
 * await transport.close();
 * ```
 */
export async function createFfiTransport(config: TransportConfig): Promise<Transport> {
  const lib = await library(config.librdkafkaPath);
  const context = clientContext(config);
  return assembleTransport(config, {
    name: "ffi",
    producer: (properties) => FfiProducer.create(lib, properties, context),
    consumer: (setup) => FfiConsumer.create(lib, setup, context),
    admin: (properties) => FfiAdmin.create(lib, properties, context),
  });
}

/**
 * The version of the librdkafka the `ffi` transport loads, e.g. `"2.15.1"`.
 *
 * @example
 * ```ts
 * import { librdkafkaVersion } from "@flowodm/flowodm/ffi";
 * console.log(await librdkafkaVersion());
 * ```
 */
export async function librdkafkaVersion(librdkafkaPath?: string): Promise<string> {
  const lib = await library(librdkafkaPath);
  return readString(lib, lib.call.rd_kafka_version_str());
}
