/**
 * The in-process broker behind `memory://name`: one per name per process.
 * Topics are arrays of records; groups hold committed offsets and their
 * members, and rebalance whenever a member joins or leaves: eagerly with range
 * assignment, or incrementally with a sticky one when every member asked for
 * `cooperative-sticky` (or the `consumer` group protocol).
 *
 * @module
 */
import { TransportError } from "../../errors.ts";
import type { IncomingMessage, TopicPartition, TopicPartitionOffset } from "../types.ts";
import { partitionKey, PartitionMap } from "../common/partition_key.ts";

/** A member of a group, as the broker sees it. */
export interface GroupMember {
  /** Topics the member subscribed to. */
  readonly topics: readonly string[];
  /** True when the member rebalances incrementally (cooperative-sticky). */
  readonly cooperative: boolean;
  /**
   * Called with the member's assignment twice a rebalance: first with what it
   * keeps (nothing when eager), so every member has given up its partitions
   * before any member is given them, then with its whole new assignment.
   */
  assign(partitions: TopicPartition[]): void;
}

interface Group {
  readonly members: GroupMember[];
  readonly committed: PartitionMap<number>;
  readonly owned: Map<GroupMember, TopicPartition[]>;
}

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
      group = { members: [], committed: new PartitionMap(), owned: new Map() };
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
    group.owned.delete(member);
    this.#rebalance(group);
  }

  /** Stores committed positions of a group. */
  commit(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    const group = this.#group(groupId);
    for (const o of offsets) {
      this.partition(o);
      group.committed.set(o, o.offset);
    }
  }

  /** The committed position of a partition, when the group has one. */
  committed(groupId: string, tp: TopicPartition): number | undefined {
    return this.#groups.get(groupId)?.committed.get(tp);
  }

  /** Every committed position of a group. */
  groupOffsets(groupId: string): TopicPartitionOffset[] {
    const group = this.#groups.get(groupId);
    if (!group) return [];
    return [...group.committed.entries()].map(([tp, offset]) => ({ ...tp, offset }));
  }

  #rebalanceAll(): void {
    for (const group of this.#groups.values()) this.#rebalance(group);
  }

  #rebalance(group: Group): void {
    const cooperative = group.members.every((m) => m.cooperative);
    const plan = cooperative ? this.#sticky(group) : this.#range(group);
    for (const [member, partitions] of plan) {
      const next = new Set(partitions.map(partitionKey));
      const owned = group.owned.get(member) ?? [];
      member.assign(cooperative ? owned.filter((tp) => next.has(partitionKey(tp))) : []);
    }
    for (const [member, partitions] of plan) {
      group.owned.set(member, partitions);
      member.assign(partitions);
    }
  }

  #plan(group: Group): Map<GroupMember, TopicPartition[]> {
    return new Map(group.members.map((m) => [m, []]));
  }

  // Range assignment, as Kafka's RangeAssignor: per topic, members in join
  // order take contiguous ranges, the first ones one extra when it does not divide.
  #range(group: Group): Map<GroupMember, TopicPartition[]> {
    const plan = this.#plan(group);
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
    return plan;
  }

  // Sticky assignment, as cooperative-sticky: members keep what they own up to
  // a balanced share (the largest owners keep one extra when it does not
  // divide), and the rest goes to the least loaded member subscribed to it.
  #sticky(group: Group): Map<GroupMember, TopicPartition[]> {
    const plan = this.#plan(group);
    const all: TopicPartition[] = [];
    for (const topic of new Set(group.members.flatMap((m) => m.topics))) {
      const count = this.topics.get(topic)?.length ?? 0;
      for (let partition = 0; partition < count; partition++) all.push({ topic, partition });
    }
    const exists = new Set(all.map(partitionKey));
    const taken = new Set<string>();
    const base = Math.floor(all.length / Math.max(group.members.length, 1));
    let extra = all.length % Math.max(group.members.length, 1);
    const byOwned = [...group.members].sort((a, b) =>
      (group.owned.get(b)?.length ?? 0) - (group.owned.get(a)?.length ?? 0)
    );
    for (const member of byOwned) {
      const keep = (group.owned.get(member) ?? []).filter((tp) =>
        exists.has(partitionKey(tp)) && member.topics.includes(tp.topic)
      );
      const share = base + (extra > 0 && keep.length > base ? 1 : 0);
      if (share > base) extra--;
      for (const tp of keep.slice(0, share)) {
        plan.get(member)!.push(tp);
        taken.add(partitionKey(tp));
      }
    }
    for (const tp of all) {
      if (taken.has(partitionKey(tp))) continue;
      const candidates = group.members.filter((m) => m.topics.includes(tp.topic));
      if (candidates.length === 0) continue;
      const least = candidates.reduce((a, b) => plan.get(b)!.length < plan.get(a)!.length ? b : a);
      plan.get(least)!.push(tp);
    }
    return plan;
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
