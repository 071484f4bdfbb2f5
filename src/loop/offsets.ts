/**
 * A stage's offsets: what was received and finished in each partition, and
 * which positions are worth committing (past what was committed already).
 *
 * @module
 */
import type { TopicPartition, TopicPartitionOffset } from "../transport/types.ts";
import { OffsetTracker } from "./offset_tracker.ts";
import { PartitionMap } from "../transport/common/partition_key.ts";

/** Finished-offset watermarks and committed positions, by partition. */
export class PartitionOffsets {
  readonly #trackers = new PartitionMap<OffsetTracker>();
  readonly #committed = new PartitionMap<number>();

  /**
   * Records that a message was received and is now being handled; returns
   * the call that records it finished (handled, dead-lettered or forwarded).
   * A message of a partition revoked meanwhile finishes in its old tracker,
   * so it never moves the watermark of the partition's next assignment.
   */
  begin(message: TopicPartitionOffset): () => void {
    let tracker = this.#trackers.get(message);
    if (!tracker) this.#trackers.set(message, tracker = new OffsetTracker());
    tracker.begin(message.offset);
    const owner = tracker;
    return () => owner.finish(message.offset);
  }

  /**
   * Positions to commit: each partition's first unfinished offset, when it is
   * past the last committed one; only the `only` partitions when given.
   */
  committable(only?: readonly TopicPartition[]): TopicPartitionOffset[] {
    const offsets: TopicPartitionOffset[] = [];
    for (const [tp, tracker] of this.#trackers.entries()) {
      const offset = tracker.committable();
      if (offset === undefined || offset <= (this.#committed.get(tp) ?? -1)) continue;
      if (only && !only.some((o) => o.topic === tp.topic && o.partition === tp.partition)) continue;
      offsets.push({ ...tp, offset });
    }
    return offsets;
  }

  /**
   * Records positions the broker confirmed. Commits run beside the polls, so
   * one may be confirmed after a later one, or after its partition was
   * revoked: neither moves what is recorded back.
   */
  committed(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) {
      if (!this.#trackers.has(o)) continue;
      if (o.offset > (this.#committed.get(o) ?? -1)) this.#committed.set(o, o.offset);
    }
  }

  /** Forgets a partition that was revoked: its next owner starts from the committed offset. */
  forget(tp: TopicPartition): void {
    this.#trackers.delete(tp);
    this.#committed.delete(tp);
  }
}
