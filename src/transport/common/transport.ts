/**
 * A transport assembled from a driver: the driver makes clients from settings
 * decided here (the same for every driver), and the transport tracks them to
 * close them all. Drivers implement only the broker primitives.
 *
 * @module
 */
import { producerProperties } from "../properties.ts";
import type {
  KafkaProperties,
  Transport,
  TransportAdmin,
  TransportConfig,
  TransportConsumer,
  TransportName,
  TransportProducer,
} from "../types.ts";
import { ClientSet } from "./client_set.ts";
import { type ConsumerSetup, resolveConsumerConfig } from "./consumer_config.ts";

/** What a driver makes; every argument is already resolved. */
export interface TransportDriver {
  /** Which implementation this is. */
  readonly name: TransportName;
  /** A producer from resolved properties (`producerProperties`, bootstrap servers included). */
  producer(properties: KafkaProperties): Promise<TransportProducer>;
  /** A consumer from its resolved settings. */
  consumer(setup: ConsumerSetup): Promise<TransportConsumer>;
  /** An admin client from the user's properties and the bootstrap servers. */
  admin(properties: KafkaProperties): Promise<TransportAdmin>;
}

/** The transport of `config` over `driver`. */
export function assembleTransport(config: TransportConfig, driver: TransportDriver): Transport {
  const clients = new ClientSet();
  const bootstrap = { "bootstrap.servers": config.bootstrapServers };
  return {
    name: driver.name,
    producer: async (properties) =>
      clients.track(
        await driver.producer(
          producerProperties({ profile: properties, user: config.properties, explicit: bootstrap }),
        ),
      ),
    consumer: async (options) =>
      clients.track(await driver.consumer(resolveConsumerConfig(config, options))),
    admin: async () => clients.track(await driver.admin({ ...config.properties, ...bootstrap })),
    close: () => clients.closeAll(),
  };
}
