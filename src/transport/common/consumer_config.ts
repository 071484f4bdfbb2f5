/**
 * How a consumer's settings are decided, for every transport in one place:
 * the layers of `consumerProperties` (defaults < profile < user < the call),
 * the group id, where a partition without a committed offset starts
 * (`auto.offset.reset`: `latest` unless `fromBeginning` or a layer says
 * otherwise), the group protocol's exclusions, and whether the member
 * rebalances incrementally.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import { forGroupProtocol } from "../group_protocol.ts";
import { consumerProperties, startProperties } from "../properties.ts";
import type { ConsumerOptions, KafkaProperties, TransportConfig } from "../types.ts";

/** A consumer's settings, decided; what a driver builds its consumer from. */
export interface ConsumerSetup {
  /** The consumer group. */
  readonly groupId: string;
  /** Every librdkafka property: bootstrap servers, `group.id`, `auto.offset.reset`, the rest. */
  readonly properties: KafkaProperties;
  /** Where a partition the group has no committed offset for starts. */
  readonly startAt: "earliest" | "latest";
  /** True when the member rebalances incrementally (cooperative-sticky, or KIP-848's protocol). */
  readonly cooperative: boolean;
  /** Records' bytes may share buffers (see ConsumerOptions.sharedBytes). */
  readonly sharedBytes: boolean;
}

/** `auto.offset.reset` values that mean the start of a partition, as librdkafka reads them. */
const fromStart = new Set(["earliest", "smallest", "beginning"]);

/**
 * The settings of a consumer `options` asks for on the transport `config` describes.
 *
 * @example
 * ```ts
 * import { resolveConsumerConfig } from "./consumer_config.ts";
 * const setup = resolveConsumerConfig({ bootstrapServers: "127.0.0.1:9092" }, { groupId: "billing" });
 * setup.startAt; // "latest"
 * ```
 */
export function resolveConsumerConfig(
  config: TransportConfig,
  options: ConsumerOptions,
): ConsumerSetup {
  if (typeof options.groupId !== "string" || options.groupId.trim() === "") {
    throw new ConfigError('a consumer needs a group id: pass { groupId: "..." }');
  }
  const properties = forGroupProtocol(consumerProperties({
    profile: options.properties,
    user: config.properties,
    explicit: {
      "bootstrap.servers": config.bootstrapServers,
      "group.id": options.groupId,
      ...startProperties(options.fromBeginning),
    },
  }));
  const start = String(properties["auto.offset.reset"]).trim().toLowerCase();
  return {
    groupId: options.groupId,
    properties,
    startAt: fromStart.has(start) ? "earliest" : "latest",
    cooperative:
      String(properties["partition.assignment.strategy"] ?? "").includes("cooperative-sticky") ||
      properties["group.protocol"] === "consumer",
    sharedBytes: options.sharedBytes === true,
  };
}
