/**
 * Consumer properties under the KIP-848 group protocol
 * (`group.protocol=consumer`): the broker runs the session, the heartbeat and
 * the assignor there, and librdkafka refuses to create a consumer that sets
 * them. The loop profiles set the first two for the classic protocol, so they
 * are left out here rather than making every profile protocol-aware.
 *
 * @module
 */
import type { KafkaProperties } from "./types.ts";

/** Properties of the classic protocol that librdkafka rejects under `group.protocol=consumer`. */
const classicOnly = [
  "session.timeout.ms",
  "heartbeat.interval.ms",
  "partition.assignment.strategy",
  "group.protocol.type",
];

/** `properties` as the chosen group protocol accepts them. */
export function forGroupProtocol(properties: KafkaProperties): KafkaProperties {
  if (properties["group.protocol"] !== "consumer") return properties;
  const out = { ...properties };
  for (const name of classicOnly) delete out[name];
  return out;
}
