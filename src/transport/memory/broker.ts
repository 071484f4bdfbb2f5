/**
 * The in-process broker behind `memory://name`: one per name per process.
 * Topics are arrays of records; groups hold committed offsets and their
 * members, and rebalance (range assignment) whenever a member joins or leaves.
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type { IncomingMessage, TopicPartition, TopicPartitionOffset } from "../types.ts";

/** A member of a group, as the broker sees it. */
export interface GroupMember {
  /** Topics the member subscribed to. */
  readonly topics: readonly string[];
  /** Called with the member's new assignment after every rebalance. */
  assign(partitions: TopicPartition[]): void;
}

interface Group {
  readonly members: GroupMember[];
  readonly committed: Map<string, number>;
}

/** Identifies a partition in maps. */
export const partitionKey = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

/** Kafka's code for a topic the broker does not have. */
export function unknownTopic(topic: string): TransportError {
  return new TransportError(`Broker: Unknown topic or partition: ${topic}`, {
    code: 3,
    codeName: "UNKNOWN_TOPIC_OR_PART",
    retriable: true,
  });
}

/** One in-memory Kafka cluster. */
export class MemoryBroker {
  readonly topics = new Map<string, IncomingMessage[][]>();
  readonly #groups = new Map<string, Group>();
  readonly #waiters = new Set<() => void>();

  /** Creates a topic; false when it already exists. */
  createTopic(topic: string, partitions: number): boolean {
    if (this.topics.has(topic)) return false;
    this.topics.set(topic, Array.from({ length: partitions }, () => []));
    this.#rebalanceAll();
    return true;
  }

  /** Deletes a topic and its records. */
  deleteTopic(topic: string): void {
    if (!this.topics.delete(topic)) throw unknownTopic(topic);
    this.#rebalanceAll();
  }

  /** The records of a partition; throws when the topic or partition is unknown. */
  partition(tp: TopicPartition): IncomingMessage[] {
    const log = this.topics.get(tp.topic)?.[tp.partition];
    if (!log) throw unknownTopic(`${tp.topic} [${tp.partition}]`);
    return log;
  }

  /** Appends records and wakes waiting consumers. */
  append(record: IncomingMessage): void {
    this.partition(record).push(record);
    for (const wake of [...this.#waiters]) wake();
  }

  /** Registers a wake-up for the next append; returns its removal. */
  onAppend(wake: () => void): () => void {
    this.#waiters.add(wake);
    return () => this.#waiters.delete(wake);
  }

  #group(groupId: string): Group {
    let group = this.#groups.get(groupId);
    if (!group) {
      group = { members: [], committed: new Map() };
      this.#groups.set(groupId, group);
    }
    return group;
  }

  /** Adds a member and rebalances its group. */
  join(groupId: string, member: GroupMember): void {
    this.#group(groupId).members.push(member);
    this.#rebalance(this.#group(groupId));
  }

  /** Removes a member and rebalances its group. */
  leave(groupId: string, member: GroupMember): void {
    const group = this.#group(groupId);
    const at = group.members.indexOf(member);
    if (at >= 0) group.members.splice(at, 1);
    this.#rebalance(group);
  }

  /** Stores committed positions of a group. */
  commit(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    const group = this.#group(groupId);
    for (const o of offsets) {
      this.partition(o);
      group.committed.set(partitionKey(o), o.offset);
    }
  }

  /** The committed position of a partition, when the group has one. */
  committed(groupId: string, tp: TopicPartition): number | undefined {
    return this.#groups.get(groupId)?.committed.get(partitionKey(tp));
  }

  /** Every committed position of a group. */
  groupOffsets(groupId: string): TopicPartitionOffset[] {
    const group = this.#groups.get(groupId);
    if (!group) return [];
    return [...group.committed].map(([key, offset]) => {
      const [topic, partition] = key.split("\u0000");
      return { topic, partition: Number(partition), offset };
    });
  }

  #rebalanceAll(): void {
    for (const group of this.#groups.values()) this.#rebalance(group);
  }

  // Range assignment, as Kafka's RangeAssignor: per topic, members in join
  // order take contiguous ranges, the first ones one extra when it does not divide.
  #rebalance(group: Group): void {
    const plan = new Map<GroupMember, TopicPartition[]>(group.members.map((m) => [m, []]));
    const topics = new Set(group.members.flatMap((m) => m.topics));
    for (const topic of topics) {
      const count = this.topics.get(topic)?.length ?? 0;
      const members = group.members.filter((m) => m.topics.includes(topic));
      const base = Math.floor(count / members.length);
      const extra = count % members.length;
      let next = 0;
      members.forEach((member, i) => {
        const take = base + (i < extra ? 1 : 0);
        for (let p = next; p < next + take; p++) plan.get(member)!.push({ topic, partition: p });
        next += take;
      });
    }
    for (const [member, partitions] of plan) member.assign(partitions);
  }
}

const brokers = new Map<string, MemoryBroker>();

/** The broker of `memory://name`, created on first use. */
export function memoryBroker(name: string): MemoryBroker {
  let broker = brokers.get(name);
  if (!broker) {
    broker = new MemoryBroker();
    brokers.set(name, broker);
  }
  return broker;
}
