/**
 * How much librdkafka may fetch ahead of the handler, per profile, in KiB
 * (`queued.max.messages.kbytes`; it applies to the consumer's one queue,
 * whatever the partition count). librdkafka's own default is 64 MiB, which
 * a consumer fills within its first second and keeps for its whole life: most
 * of a ConsumerLoop's memory growth. `fetch.max.bytes` follows the bound
 * (librdkafka caps it there unless it is set), so a consumer holds about twice
 * the bound in fetched data at most. The figures per profile and their effect
 * on throughput are in docs/benchmarks.md (section 6).
 */
export const prefetchKBytes = {
  /** One message at a time for minutes: nothing to gain from reading far ahead. */
  longRunning: 1_024,
  /** Keeps two 4 MiB partition fetches in reserve while the handler works through a third. */
  batch: 16_384,
  /** Messages are handled as they arrive; the queue is rarely more than a fetch deep. */
  realTime: 8_192,
  /** The one profile that trades memory for speed. */
  highThroughput: 32_768,
  /** Commits after every message: the handler, not the fetch, sets the pace. */
  reliable: 8_192,
} as const;
