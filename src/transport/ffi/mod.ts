/**
 * The `ffi` transport: librdkafka's C API through `Deno.dlopen` or `bun:ffi`.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import type {
  ConsumerOptions,
  KafkaProperties,
  Transport,
  TransportAdmin,
  TransportConfig,
  TransportConsumer,
  TransportProducer,
} from "../types.ts";
import { FfiAdmin } from "./admin.ts";
import { FfiConsumer } from "./consumer.ts";
import { loadLibrdkafka } from "./load.ts";
import type { NativeLibrary, OpenLibrary } from "./native.ts";
import { FfiProducer } from "./producer.ts";
import { readString } from "./librdkafka.ts";

async function runtimeOpener(): Promise<OpenLibrary> {
  if ("Deno" in globalThis) return (await import("./deno.ts")).openLibrary;
  if ("Bun" in globalThis) return await (await import("./bun.ts")).bunOpener();
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

/** A closable client of the transport. */
interface Client {
  close(): Promise<void>;
}

/**
 * Creates the `ffi` transport: Kafka through librdkafka's C API on Deno or
 * Bun. librdkafka is loaded from `librdkafkaPath`, `FLOWODM_LIBRDKAFKA`, the
 * `@confluentinc/kafka-javascript` build in `node_modules`, or the system.
 *
 * @example
 * ```ts
 * import { createFfiTransport } from "@flowodm/flowodm";
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
  const base: KafkaProperties = {
    "bootstrap.servers": config.bootstrapServers,
    ...config.properties,
  };
  const clients = new Set<Client>();
  const track = <T extends Client>(make: (onClose: () => void) => T): T => {
    let client: T | undefined = undefined;
    const created = make(() => clients.delete(client!));
    client = created;
    clients.add(created);
    return created;
  };
  return {
    name: "ffi",
    // Each factory is async so that a refused configuration rejects rather than throws.
    producer: async (properties?: KafkaProperties): Promise<TransportProducer> =>
      await track((onClose) => FfiProducer.create(lib, { ...base, ...properties }, onClose)),
    consumer: async (options: ConsumerOptions): Promise<TransportConsumer> =>
      await track((onClose) => FfiConsumer.create(lib, base, options, onClose)),
    admin: async (): Promise<TransportAdmin> =>
      await track((onClose) => FfiAdmin.create(lib, base, onClose)),
    close: async () => {
      await Promise.all([...clients].map((client) => client.close()));
    },
  };
}

/**
 * The version of the librdkafka the `ffi` transport loads, e.g. `"2.15.1"`.
 *
 * @example
 * ```ts
 * import { librdkafkaVersion } from "@flowodm/flowodm";
 * console.log(await librdkafkaVersion());
 * ```
 */
export async function librdkafkaVersion(librdkafkaPath?: string): Promise<string> {
  const lib = await library(librdkafkaPath);
  return readString(lib, lib.call.rd_kafka_version_str());
}
