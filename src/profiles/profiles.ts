import {
  type LoopSettings,
  type LoopSettingsOverrides,
  safeProducer,
  withOverrides,
} from "./settings.ts";
import { fetchQueueBackoffMs } from "../transport/properties.ts";
import { prefetchKBytes } from "./prefetch.ts";

/**
 * For handlers that take minutes per message. Semantics: at-least-once; one
 * message per poll, commit after each message; `max.poll.interval.ms` is 30
 * minutes so a slow handler does not cost the group membership.
 *
 * @example
 * ```ts
 * import { LongRunningSettings } from "@flowodm/flowodm";
 * const settings = LongRunningSettings({ consumer: { "max.poll.interval.ms": 3_600_000 } });
 * ```
 */
export function LongRunningSettings(overrides?: LoopSettingsOverrides): LoopSettings {
  return withOverrides({
    consumer: {
      "max.poll.interval.ms": 1_800_000,
      "session.timeout.ms": 45_000,
      "heartbeat.interval.ms": 3_000,
      "queued.max.messages.kbytes": prefetchKBytes.longRunning,
      "fetch.queue.backoff.ms": fetchQueueBackoffMs,
      "auto.offset.reset": "earliest",
    },
    producer: { ...safeProducer, "linger.ms": 5 },
    pollBatchSize: 1,
    commitIntervalMs: 0,
    commitEvery: 1,
    commitStrategy: "afterProcessing",
  }, overrides);
}

/**
 * For bulk processing where throughput matters more than latency. Semantics:
 * at-least-once; large fetches (1 MiB minimum, up to 500 ms wait), commits
 * every 5 s or 1000 messages, so a crash re-delivers at most that much.
 *
 * @example
 * ```ts
 * import { BatchSettings } from "@flowodm/flowodm";
 * const settings = BatchSettings({ pollBatchSize: 2000 });
 * ```
 */
export function BatchSettings(overrides?: LoopSettingsOverrides): LoopSettings {
  return withOverrides({
    consumer: {
      "fetch.min.bytes": 1_048_576,
      "fetch.wait.max.ms": 500,
      "max.partition.fetch.bytes": 4_194_304,
      "max.poll.interval.ms": 600_000,
      "queued.max.messages.kbytes": prefetchKBytes.batch,
      "fetch.queue.backoff.ms": fetchQueueBackoffMs,
      "auto.offset.reset": "earliest",
    },
    producer: {
      ...safeProducer,
      "linger.ms": 100,
      "batch.num.messages": 10_000,
      "compression.type": "lz4",
    },
    pollBatchSize: 1_000,
    commitIntervalMs: 5_000,
    commitEvery: 1_000,
    commitStrategy: "afterProcessing",
  }, overrides);
}

/**
 * For low latency per message. Semantics: at-least-once; the broker answers
 * fetches at once (`fetch.wait.max.ms` 10), new groups start at the latest
 * offset, commits every 1 s or 100 messages.
 *
 * @example
 * ```ts
 * import { RealTimeSettings } from "@flowodm/flowodm";
 * const settings = RealTimeSettings();
 * ```
 */
export function RealTimeSettings(overrides?: LoopSettingsOverrides): LoopSettings {
  return withOverrides({
    consumer: {
      "fetch.min.bytes": 1,
      "fetch.wait.max.ms": 10,
      "session.timeout.ms": 10_000,
      "heartbeat.interval.ms": 1_000,
      "queued.max.messages.kbytes": prefetchKBytes.realTime,
      "fetch.queue.backoff.ms": fetchQueueBackoffMs,
      "auto.offset.reset": "latest",
    },
    producer: { ...safeProducer, "linger.ms": 0 },
    pollBatchSize: 100,
    commitIntervalMs: 1_000,
    commitEvery: 100,
    commitStrategy: "afterProcessing",
  }, overrides);
}

/**
 * For the most messages per second. Semantics: AT-MOST-ONCE: offsets are
 * committed before handling, so a crash skips what was in flight; forwarded
 * messages use `acks=1` without idempotence (the one profile that turns it off).
 *
 * @example
 * ```ts
 * import { HighThroughputSettings } from "@flowodm/flowodm";
 * const settings = HighThroughputSettings({ commitStrategy: "afterProcessing" });
 * ```
 */
export function HighThroughputSettings(overrides?: LoopSettingsOverrides): LoopSettings {
  return withOverrides({
    consumer: {
      "fetch.min.bytes": 65_536,
      "fetch.wait.max.ms": 100,
      "queued.min.messages": 100_000,
      "max.partition.fetch.bytes": 8_388_608,
      "queued.max.messages.kbytes": prefetchKBytes.highThroughput,
      "fetch.queue.backoff.ms": fetchQueueBackoffMs,
      "auto.offset.reset": "earliest",
    },
    producer: {
      // acks=1 cannot be idempotent: a leader crash may lose or, on retry, duplicate.
      "enable.idempotence": false,
      "acks": 1,
      "linger.ms": 20,
      "batch.num.messages": 10_000,
      "compression.type": "lz4",
    },
    pollBatchSize: 2_000,
    commitIntervalMs: 5_000,
    commitEvery: 10_000,
    commitStrategy: "beforeProcessing",
  }, overrides);
}

/**
 * For data that must never be lost. Semantics: at-least-once with a commit
 * after every message, only committed (transactional) records are read, and
 * forwarded messages use an idempotent `acks=all` producer.
 *
 * @example
 * ```ts
 * import { ReliableSettings } from "@flowodm/flowodm";
 * const settings = ReliableSettings();
 * ```
 */
export function ReliableSettings(overrides?: LoopSettingsOverrides): LoopSettings {
  return withOverrides({
    consumer: {
      "isolation.level": "read_committed",
      "auto.offset.reset": "earliest",
      "max.poll.interval.ms": 300_000,
      "queued.max.messages.kbytes": prefetchKBytes.reliable,
      "fetch.queue.backoff.ms": fetchQueueBackoffMs,
    },
    producer: {
      ...safeProducer,
      // More than one could report a message delivered that was never written (issue #20).
      "max.in.flight.requests.per.connection": 1,
      "message.timeout.ms": 300_000,
    },
    pollBatchSize: 50,
    commitIntervalMs: 0,
    commitEvery: 1,
    commitStrategy: "afterProcessing",
  }, overrides);
}
