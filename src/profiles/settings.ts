import type { KafkaProperties } from "../transport/types.ts";

/** When the loop commits an offset relative to the handler. */
export type CommitStrategy = "afterProcessing" | "beforeProcessing";

/**
 * Consumer and producer properties (real librdkafka names) plus the loop's
 * own knobs, as returned by every profile.
 *
 * @example
 * ```ts
 * import { RealTimeSettings } from "@flowodm/flowodm";
 * const settings = RealTimeSettings({ consumer: { "fetch.wait.max.ms": 5 } });
 * console.log(settings.consumer["fetch.wait.max.ms"]); // 5
 * ```
 */
export interface LoopSettings {
  /** librdkafka consumer properties. */
  readonly consumer: KafkaProperties;
  /** librdkafka producer properties (used for retry and dead letter topics). */
  readonly producer: KafkaProperties;
  /** Most messages one poll returns (librdkafka has no max.poll.records; the loop bounds it). */
  readonly pollBatchSize: number;
  /** Commit at least this often while work finishes. */
  readonly commitIntervalMs: number;
  /** Commit once this many messages finished since the last commit. */
  readonly commitEvery: number;
  /** afterProcessing: at-least-once; beforeProcessing: at-most-once. */
  readonly commitStrategy: CommitStrategy;
}

/** Overrides for a profile; property maps merge key by key. */
export type LoopSettingsOverrides = Partial<Omit<LoopSettings, "consumer" | "producer">> & {
  readonly consumer?: KafkaProperties;
  readonly producer?: KafkaProperties;
};

/** A profile's defaults with `overrides` applied on top. */
export function withOverrides(
  base: LoopSettings,
  overrides: LoopSettingsOverrides = {},
): LoopSettings {
  return {
    ...base,
    ...overrides,
    consumer: { ...base.consumer, ...overrides.consumer },
    producer: { ...base.producer, ...overrides.producer },
  };
}

/** Producer properties that never lose or duplicate a forwarded message on broker retries. */
export const safeProducer: KafkaProperties = {
  "acks": "all",
  "enable.idempotence": true,
};
