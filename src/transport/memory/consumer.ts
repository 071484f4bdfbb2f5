/**
 * The memory transport's consumer: a group member of the in-process broker.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type {
  IncomingMessage,
  PartitionLag,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import type { ConsumerSetup } from "../common/consumer_config.ts";
import { PartitionMap } from "../common/partition_key.ts";
import { RebalanceListeners } from "../common/rebalance_listeners.ts";
import type { GroupMember, MemoryBroker } from "./broker.ts";

/** Reads records from a {@link MemoryBroker} as a member of a group. */
export class MemoryConsumer implements TransportConsumer {
  readonly #broker: MemoryBroker;
  readonly #setup: ConsumerSetup;
  readonly #listeners: RebalanceListeners;
  readonly #positions = new PartitionMap<number>();
  readonly #paused = new PartitionMap<true>();
  #assignment: TopicPartition[] = [];
  #member?: GroupMember;
  #closed = false;
  #wakePoll?: () => void;

  /** Creates a consumer; it joins its group on `subscribe`. */
  constructor(
    broker: MemoryBroker,
    setup: ConsumerSetup,
    onError?: (error: TransportError) => void,
  ) {
    this.#broker = broker;
    this.#setup = setup;
    this.#listeners = new RebalanceListeners(onError);
  }

  subscribe(topics: readonly string[]): Promise<void> {
    this.#ensureOpen();
    if (this.#member) this.#broker.leave(this.#setup.groupId, this.#member);
    this.#member = {
      topics: [...topics],
      cooperative: this.#setup.cooperative,
      assign: (partitions) => this.#assign(partitions),
    };
    this.#broker.join(this.#setup.groupId, this.#member);
    return Promise.resolve();
  }

  #assign(partitions: TopicPartition[]): void {
    const next = new PartitionMap<true>();
    for (const tp of partitions) next.set(tp, true);
    const revoked = this.#assignment.filter((tp) => !next.has(tp));
    const added = partitions.filter((tp) => !this.#positions.has(tp));
    if (revoked.length > 0) {
      // Announced while still owned, so listeners can commit them; positions go after.
      this.#listeners.emit({ type: "revoke", partitions: revoked });
      for (const tp of revoked) {
        this.#positions.delete(tp);
        this.#paused.delete(tp);
      }
    }
    this.#assignment = partitions;
    if (added.length > 0) {
      for (const tp of added) this.#positions.set(tp, this.#startOffset(tp));
      this.#listeners.emit({ type: "assign", partitions: added });
    }
  }

  #startOffset(tp: TopicPartition): number {
    const committed = this.#broker.committed(this.#setup.groupId, tp);
    if (committed !== undefined) return committed;
    return this.#setup.startAt === "earliest" ? 0 : this.#broker.partition(tp).length;
  }

  #take(maxMessages: number): IncomingMessage[] {
    const out: IncomingMessage[] = [];
    for (const tp of this.#assignment) {
      if (this.#paused.has(tp)) continue;
      const log = this.#broker.topics.get(tp.topic)?.[tp.partition] ?? [];
      let position = this.#positions.get(tp) ?? 0;
      while (position < log.length && out.length < maxMessages) out.push(log[position++]);
      this.#positions.set(tp, position);
      if (out.length >= maxMessages) break;
    }
    return out;
  }

  async poll(maxMessages: number, timeoutMs: number): Promise<IncomingMessage[]> {
    this.#ensureOpen();
    this.#listeners.throwFailure();
    const ready = this.#take(maxMessages);
    if (ready.length > 0 || timeoutMs <= 0) return ready;
    // Wait for an append or the timeout, whichever comes first; both are cleared after.
    let stop: () => void = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#wakePoll = resolve;
      stop = this.#broker.onAppend(resolve) as () => void;
      timer = setTimeout(resolve, timeoutMs);
    });
    stop();
    clearTimeout(timer);
    this.#wakePoll = undefined;
    if (this.#closed) return [];
    this.#listeners.throwFailure();
    return this.#take(maxMessages);
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#ensureOpen();
    this.#broker.commit(this.#setup.groupId, offsets);
    return Promise.resolve();
  }

  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    return Promise.resolve(partitions.flatMap((tp) => {
      const offset = this.#broker.committed(this.#setup.groupId, tp);
      return offset === undefined ? [] : [{ topic: tp.topic, partition: tp.partition, offset }];
    }));
  }

  seek(position: TopicPartitionOffset): Promise<void> {
    if (!this.#positions.has(position)) {
      return Promise.reject(
        new TransportError(`cannot seek ${position.topic} [${position.partition}]: not assigned`, {
          code: -190,
          codeName: "_UNKNOWN_PARTITION",
        }),
      );
    }
    this.#positions.set(position, position.offset);
    return Promise.resolve();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#paused.set(tp, true);
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#paused.delete(tp);
  }

  assignment(): TopicPartition[] {
    return [...this.#assignment];
  }

  lag(): PartitionLag[] {
    return this.#assignment.map((tp) => {
      const position = this.#positions.get(tp) ?? 0;
      const highWatermark = this.#broker.partition(tp).length;
      return { ...tp, position, highWatermark, lag: highWatermark - position };
    });
  }

  onRebalance(listener: (event: RebalanceEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#member) this.#broker.leave(this.#setup.groupId, this.#member);
    this.#closed = true;
    this.#listeners.clear();
    this.#wakePoll?.();
    return Promise.resolve();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new TransportError("consumer is closed", { codeName: "_DESTROY" });
  }
}
