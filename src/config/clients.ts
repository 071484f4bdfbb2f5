/**
 * The clients of one connection and their lifecycle: the registry client,
 * the transport, the one shared producer and the Kafka Connect client, each
 * created on first use, and closed in order (producer flushed first).
 *
 * @module
 */
import { ConnectClient } from "../connect/client.ts";
import type { ConnectClientOptions } from "../connect/client_options.ts";
import type { TransportError } from "../errors.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { Logger } from "../transport/logging.ts";
import { createTransport } from "../transport/select.ts";
import type { Transport, TransportName, TransportProducer } from "../transport/types.ts";
import type { ConnectionSettings } from "./environment.ts";
import { registryForUrl } from "./registry_schemes.ts";
import { accessFromSettings } from "./registry_tls.ts";

/** What the clients are made from besides the resolved settings. */
export interface ClientOptions {
  readonly transport?: TransportName;
  readonly registry?: SchemaRegistry;
  readonly logger?: Logger;
  readonly onError?: (error: TransportError) => void;
  readonly connect?: ConnectClientOptions;
}

/** Creates each client on first use; `close()` ends the Kafka clients. */
export class ConnectionClients {
  readonly #settings: ConnectionSettings;
  readonly #options: ClientOptions;
  #registry?: SchemaRegistry;
  #transport?: Promise<Transport>;
  #producer?: Promise<TransportProducer>;
  #connect?: ConnectClient;

  constructor(settings: ConnectionSettings, options: ClientOptions) {
    this.#settings = settings;
    this.#options = options;
    this.#registry = options.registry;
  }

  registry(): SchemaRegistry {
    this.#registry ??= registryForUrl(this.#settings.schemaRegistryUrl, {
      ...(this.#settings.registry.basicAuth
        ? { basicAuth: this.#settings.registry.basicAuth }
        : {}),
      ...accessFromSettings(this.#settings.registry),
    });
    return this.#registry;
  }

  kafkaConnect(): ConnectClient {
    this.#connect ??= new ConnectClient(this.#options.connect);
    return this.#connect;
  }

  transport(): Promise<Transport> {
    this.#transport ??= createTransport({
      bootstrapServers: this.#settings.bootstrapServers,
      properties: { ...this.#settings.kafka },
      transport: this.#options.transport,
      connectTimeoutMs: this.#settings.connectTimeoutMs,
      logger: this.#options.logger,
      onError: this.#options.onError,
    }).catch((error) => {
      this.#transport = undefined;
      throw error;
    });
    return this.#transport;
  }

  producer(): Promise<TransportProducer> {
    this.#producer ??= this.transport().then((transport) => transport.producer()).catch(
      (error) => {
        this.#producer = undefined;
        throw error;
      },
    );
    return this.#producer;
  }

  /** Flushes and closes the producer, then the transport; the next use creates new ones. */
  async close(): Promise<void> {
    const producer = this.#producer;
    const transport = this.#transport;
    this.#producer = undefined;
    this.#transport = undefined;
    if (producer) await (await producer).close();
    if (transport) await (await transport).close();
  }
}
