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
import { consumerProperties, producerProperties, startProperties } from "../properties.ts";
import { defaultConnectTimeoutMs } from "../reachability.ts";
import type { ClientContext } from "./client_events.ts";

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
  const bootstrap = { "bootstrap.servers": config.bootstrapServers };
  const clients = new Set<Client>();
  const context = (): ClientContext => {
    let client: Client | undefined;
    return {
      bootstrapServers: config.bootstrapServers,
      connectTimeoutMs: config.connectTimeoutMs ?? defaultConnectTimeoutMs,
      logger: config.logger,
      onError: config.onError,
      onClose: () => clients.delete(client!),
      onOpen: (opened) => clients.add(client = opened),
    };
  };
  return {
    name: "ffi",
    producer: (properties?: KafkaProperties): Promise<TransportProducer> =>
      FfiProducer.create(
        lib,
        producerProperties({ profile: properties, user: config.properties, explicit: bootstrap }),
        context(),
      ),
    consumer: async (options: ConsumerOptions): Promise<TransportConsumer> =>
      await FfiConsumer.create(
        lib,
        consumerProperties({
          profile: options.properties,
          user: config.properties,
          explicit: {
            ...bootstrap,
            "group.id": options.groupId,
            ...startProperties(options.fromBeginning),
          },
        }),
        context(),
      ),
    admin: (): Promise<TransportAdmin> =>
      FfiAdmin.create(lib, { ...config.properties, ...bootstrap }, context()),
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
