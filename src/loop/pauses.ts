/**
 * Pausing partitions: counted (a partition paused for two reasons resumes
 * when both ended), and backpressure (every assigned partition paused when
 * handlers fall behind for long).
 *
 * @module
 */
import type { TopicPartition, TransportConsumer } from "../transport/types.ts";
import { PartitionMap } from "../transport/common/partition_key.ts";

/** The consumer calls pausing needs. */
export type Pausable = Pick<TransportConsumer, "pause" | "resume" | "assignment">;

/** Pause counts by partition: the consumer pauses on the first, resumes after the last. */
export class PauseCounts {
  readonly #consumer: Pausable;
  readonly #counts = new PartitionMap<number>();

  /** Counts pauses of `consumer`'s partitions. */
  constructor(consumer: Pausable) {
    this.#consumer = consumer;
  }

  /** Pauses a partition (again). */
  pause(tp: TopicPartition): void {
    const count = this.#counts.get(tp) ?? 0;
    this.#counts.set(tp, count + 1);
    if (count === 0) this.#consumer.pause([tp]);
  }

  /** Ends one pause; resumes the partition after the last one, if it is still assigned. */
  resume(tp: TopicPartition): void {
    const count = (this.#counts.get(tp) ?? 1) - 1;
    if (count > 0) return void this.#counts.set(tp, count);
    this.#counts.delete(tp);
    const assigned = this.#consumer.assignment()
      .some((a) => a.topic === tp.topic && a.partition === tp.partition);
    if (assigned) this.#consumer.resume([tp]);
  }

  /** How many pauses a partition has. */
  count(tp: TopicPartition): number {
    return this.#counts.get(tp) ?? 0;
  }

  /** Forgets a revoked partition's pauses. */
  forget(tp: TopicPartition): void {
    this.#counts.delete(tp);
  }
}

/**
 * What to do when handlers fall behind. librdkafka only re-fetches a paused
 * partition after a backoff, so pausing is for long stalls; a short one just
 * stops taking messages (librdkafka's own prefetch queue is bounded).
 */
export class Backpressure {
  readonly #pauses: PauseCounts;
  readonly #consumer: Pausable;
  readonly #pauseAfterMs: number;
  readonly #now: () => number;
  #fullSince = 0;
  #paused: TopicPartition[] = [];

  /** Pauses every assigned partition once handlers have been full for `pauseAfterMs`. */
  constructor(
    pauses: PauseCounts,
    consumer: Pausable,
    pauseAfterMs: number,
    now: () => number = Date.now,
  ) {
    this.#pauses = pauses;
    this.#consumer = consumer;
    this.#pauseAfterMs = pauseAfterMs;
    this.#now = now;
  }

  /**
   * Called before each poll: true when the loop should wait for a handler
   * instead of polling (full, not paused yet); false to poll (not full, or
   * full with partitions paused, which keeps the consumer in its group).
   */
  shouldWait(full: boolean): boolean {
    if (!full) {
      this.#fullSince = 0;
      for (const tp of this.#paused) this.#pauses.resume(tp);
      this.#paused = [];
      return false;
    }
    this.#fullSince ||= this.#now();
    if (this.#paused.length === 0 && this.#now() - this.#fullSince >= this.#pauseAfterMs) {
      this.#paused = this.#consumer.assignment();
      for (const tp of this.#paused) this.#pauses.pause(tp);
    }
    return this.#paused.length === 0;
  }

  /** The partitions it paused. */
  get paused(): readonly TopicPartition[] {
    return this.#paused;
  }
}
