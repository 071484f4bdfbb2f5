/**
 * The one rule for which librdkafka setting wins, used by every transport:
 * library defaults < profile < user properties < the call's explicit options.
 * The few properties a delivery guarantee depends on are not settings at
 * all: a profile or user value that contradicts them is a ConfigError naming
 * the property, never a silent switch.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { KafkaProperties } from "./types.ts";

/**
 * Producer defaults: idempotent (which implies `acks=all`), so a broker
 * restart can neither lose nor duplicate a message; keys hashed with murmur2
 * as Java clients do, so the same key lands on the same partition.
 */
export const producerDefaults: Readonly<KafkaProperties> = {
  "enable.idempotence": true,
  partitioner: "murmur2_random",
};

/**
 * How long librdkafka waits before fetching again for a partition once its
 * fetch queue was full (`fetch.queue.backoff.ms`). Its default, 1 000 ms,
 * leaves the queue to run dry while the reader keeps up: the queue counts as
 * full at 100 000 records (`queued.min.messages`) or at its byte bound,
 * whichever comes first, so a fast reader of small records stalls a second
 * at a time. `Model.consume()` on a 200 000-record topic read 75k records/s
 * with the default and 140k with 10 ms (Bun). A full queue is checked again
 * this often; nothing else changes.
 */
export const fetchQueueBackoffMs = 10;

/**
 * Consumer defaults: a new group starts at the latest offset, as Kafka's
 * clients do, and a full fetch queue is refilled without a second's pause.
 */
export const consumerDefaults: Readonly<KafkaProperties> = {
  "auto.offset.reset": "latest",
  "fetch.queue.backoff.ms": fetchQueueBackoffMs,
};

/**
 * What every consumer of the library needs: offsets are stored and committed
 * only when the caller asks, after its handler finished, so nothing is
 * committed for a message that was not handled.
 */
export const consumerRequired: Readonly<KafkaProperties> = {
  "enable.auto.commit": false,
  "enable.auto.offset.store": false,
};

/** The layers of one client's settings, lowest first. */
export interface PropertyLayers {
  /** A settings profile's properties (e.g. a loop's `LoopSettings.consumer`). */
  readonly profile?: KafkaProperties;
  /** The user's properties (`connect({ kafka })`, the transport's `properties`). */
  readonly user?: KafkaProperties;
  /** What the call itself decides (group id, `fromBeginning`, bootstrap servers). */
  readonly explicit?: KafkaProperties;
}

const normalized = (value: string | number | boolean) => String(value).trim().toLowerCase();

function requireUnchanged(layers: PropertyLayers, required: Readonly<KafkaProperties>): void {
  for (const [where, properties] of [["profile", layers.profile], ["user", layers.user]] as const) {
    for (const [name, value] of Object.entries(required)) {
      const given = properties?.[name];
      if (given !== undefined && normalized(given) !== normalized(value)) {
        throw new ConfigError(
          `the ${where} property "${name}" = "${given}" contradicts FlowODM's delivery guarantee: ` +
            `offsets are committed only after a message was handled, so "${name}" must be ` +
            `"${value}" (leave it out; choose a commit strategy in LoopSettings instead)`,
        );
      }
    }
  }
}

/**
 * A producer's librdkafka properties. Idempotence stays on unless a layer
 * sets `enable.idempotence`, or asks for an `acks` other than `all` (which
 * idempotence cannot keep, as `HighThroughputSettings` does with `acks=1`).
 * An idempotent producer sends one request at a time to each broker unless a
 * layer sets `max.in.flight.requests.per.connection`.
 *
 * @example
 * ```ts
 * import { producerProperties } from "./properties.ts";
 * producerProperties({ profile: { acks: 1 } })["enable.idempotence"]; // false
 * ```
 */
export function producerProperties(layers: PropertyLayers): KafkaProperties {
  const chosen = { ...layers.profile, ...layers.user, ...layers.explicit };
  const merged: KafkaProperties = { ...producerDefaults, ...chosen };
  const acks = chosen["acks"] ?? chosen["request.required.acks"];
  if (
    chosen["enable.idempotence"] === undefined && acks !== undefined &&
    !["all", "-1"].includes(normalized(acks))
  ) {
    merged["enable.idempotence"] = false;
  }
  // librdkafka takes a later batch's success as proof that an earlier, failed one was written
  // (an "implicit ack"). A broker with no state yet for this producer on a partition accepts the
  // later batch without the earlier one, whose messages are then reported delivered but were
  // never written (issue #20). One request in flight per broker sends no later batch first.
  const inFlight = chosen["max.in.flight.requests.per.connection"] ?? chosen["max.in.flight"];
  if (normalized(merged["enable.idempotence"]) === "true" && inFlight === undefined) {
    merged["max.in.flight.requests.per.connection"] = 1;
  }
  return merged;
}

/**
 * A consumer's librdkafka properties, with the required ones enforced.
 *
 * @example
 * ```ts
 * import { consumerProperties } from "./properties.ts";
 * consumerProperties({ explicit: { "group.id": "billing" } })["enable.auto.commit"]; // false
 * ```
 */
export function consumerProperties(layers: PropertyLayers): KafkaProperties {
  requireUnchanged(layers, consumerRequired);
  return {
    ...consumerDefaults,
    ...layers.profile,
    ...layers.user,
    ...layers.explicit,
    ...consumerRequired,
  };
}

/** The `auto.offset.reset` a consumer's `fromBeginning` option stands for, when given. */
export function startProperties(fromBeginning: boolean | undefined): KafkaProperties {
  return fromBeginning === undefined
    ? {}
    : { "auto.offset.reset": fromBeginning ? "earliest" : "latest" };
}
