/**
 * The memory transport's consumer: a group member of the in-process broker.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type {
  ConsumerOptions,
  IncomingMessage,
  PartitionLag,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import { type GroupMember, type MemoryBroker, partitionKey } from "./broker.ts";

/** Reads records from a {@link MemoryBroker} as a member of a group. */
export class MemoryConsumer implements TransportConsumer {
  readonly #broker: MemoryBroker;
  readonly #options: ConsumerOptions;
  readonly #listeners = new Set<(event: RebalanceEvent) => void>();
  readonly #positions = new Map<string, number>();
  readonly #paused = new Set<string>();
  #assignment: TopicPartition[] = [];
  #member?: GroupMember;
  #closed = false;
  #wakePoll?: () => void;

  /** Creates a consumer; it joins its group on `subscribe`. */
  constructor(broker: MemoryBroker, options: ConsumerOptions) {
    this.#broker = broker;
    this.#options = options;
  }

  subscribe(topics: readonly string[]): Promise<void> {
    this.#ensureOpen();
    if (this.#member) this.#broker.leave(this.#options.groupId, this.#member);
    const properties = this.#options.properties ?? {};
    const cooperative =
      String(properties["partition.assignment.strategy"] ?? "").includes("cooperative-sticky") ||
      properties["group.protocol"] === "consumer";
    this.#member = {
      topics: [...topics],
      cooperative,
      assign: (partitions) => this.#assign(partitions),
    };
    this.#broker.join(this.#options.groupId, this.#member);
    return Promise.resolve();
  }

  #assign(partitions: TopicPartition[]): void {
    const keys = new Set(partitions.map(partitionKey));
    const revoked = this.#assignment.filter((tp) => !keys.has(partitionKey(tp)));
    const kept = new Set(this.#assignment.map(partitionKey));
    const added = partitions.filter((tp) => !kept.has(partitionKey(tp)));
    if (revoked.length > 0) {
      for (const tp of revoked) {
        this.#positions.delete(partitionKey(tp));
        this.#paused.delete(partitionKey(tp));
      }
      this.#emit({ type: "revoke", partitions: revoked });
    }
    this.#assignment = partitions;
    if (added.length > 0) {
      for (const tp of added) this.#positions.set(partitionKey(tp), this.#startOffset(tp));
      this.#emit({ type: "assign", partitions: added });
    }
  }

  #startOffset(tp: TopicPartition): number {
    const committed = this.#broker.committed(this.#options.groupId, tp);
    if (committed !== undefined) return committed;
    return this.#options.fromBeginning ? 0 : this.#broker.partition(tp).length;
  }

  #emit(event: RebalanceEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  #take(maxMessages: number): IncomingMessage[] {
    const out: IncomingMessage[] = [];
    for (const tp of this.#assignment) {
      const key = partitionKey(tp);
      if (this.#paused.has(key)) continue;
      const log = this.#broker.topics.get(tp.topic)?.[tp.partition] ?? [];
      let position = this.#positions.get(key) ?? 0;
      while (position < log.length && out.length < maxMessages) out.push(log[position++]);
      this.#positions.set(key, position);
      if (out.length >= maxMessages) break;
    }
    return out;
  }

  async poll(maxMessages: number, timeoutMs: number): Promise<IncomingMessage[]> {
    this.#ensureOpen();
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
    return this.#closed ? [] : this.#take(maxMessages);
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#ensureOpen();
    this.#broker.commit(this.#options.groupId, offsets);
    return Promise.resolve();
  }

  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    return Promise.resolve(partitions.flatMap((tp) => {
      const offset = this.#broker.committed(this.#options.groupId, tp);
      return offset === undefined ? [] : [{ topic: tp.topic, partition: tp.partition, offset }];
    }));
  }

  seek(position: TopicPartitionOffset): Promise<void> {
    const key = partitionKey(position);
    if (!this.#positions.has(key)) {
      return Promise.reject(
        new TransportError(`cannot seek ${position.topic} [${position.partition}]: not assigned`, {
          code: -190,
          codeName: "_UNKNOWN_PARTITION",
        }),
      );
    }
    this.#positions.set(key, position.offset);
    return Promise.resolve();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#paused.add(partitionKey(tp));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#paused.delete(partitionKey(tp));
  }

  assignment(): TopicPartition[] {
    return [...this.#assignment];
  }

  lag(): PartitionLag[] {
    return this.#assignment.map((tp) => {
      const position = this.#positions.get(partitionKey(tp)) ?? 0;
      const highWatermark = this.#broker.partition(tp).length;
      return { ...tp, position, highWatermark, lag: highWatermark - position };
    });
  }

  onRebalance(listener: (event: RebalanceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#member) this.#broker.leave(this.#options.groupId, this.#member);
    this.#closed = true;
    this.#listeners.clear();
    this.#wakePoll?.();
    return Promise.resolve();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new TransportError("consumer is closed", { codeName: "_DESTROY" });
  }
}
