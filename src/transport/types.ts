/**
 * The one narrow interface between FlowODM and Kafka. Transports know bytes,
 * keys, headers, topics, partitions, offsets, timestamps and consumer groups;
 * they never see models. Implementations: `native` (Node, librdkafka through
 * `@confluentinc/kafka-javascript`), `ffi` (Deno and Bun, librdkafka's C API),
 * `memory` (an in-process broker for unit tests and demos).
 *
 * @module
 */

/** librdkafka configuration properties, passed through untouched. */
export type KafkaProperties = Record<string, string | number | boolean>;

/** One Kafka record header. Kafka allows a key to repeat, so headers are a list. */
export type KafkaHeader = readonly [key: string, value: Uint8Array];

/** A topic and one of its partitions. */
export interface TopicPartition {
  /** Topic name. */
  readonly topic: string;
  /** Partition number, from 0. */
  readonly partition: number;
}

/**
 * A position in a partition. As everywhere in Kafka, a committed offset is
 * the offset of the next message to read: last processed + 1.
 */
export interface TopicPartitionOffset extends TopicPartition {
  /** Offset: of a record, or for a commit the next one to read. */
  readonly offset: number;
}

/** A record to produce. */
export interface OutgoingMessage {
  /** Topic name. */
  readonly topic: string;
  /** Explicit partition; otherwise the key decides (murmur2, as Java clients). */
  readonly partition?: number;
  /** Record key bytes; null for no key. */
  readonly key: Uint8Array | null;
  /** Record value bytes; null is a tombstone. */
  readonly value: Uint8Array | null;
  /** Record headers, in order. */
  readonly headers?: readonly KafkaHeader[];
  /** Create time in epoch milliseconds; the producer's clock when absent. */
  readonly timestamp?: number;
}

/** Where a produced record landed. */
export interface DeliveryReport extends TopicPartitionOffset {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  /** True when producing was suppressed (see `suppress`): nothing was sent, partition and offset are -1. */
  readonly suppressed?: boolean;
}

/** The outcome of one message of a batch: a report, or the error it met. */
export type DeliveryResult =
  | { readonly ok: true; readonly report: DeliveryReport }
  | { readonly ok: false; readonly error: Error; readonly message: OutgoingMessage };

/** A record read from Kafka. */
export interface IncomingMessage extends TopicPartitionOffset {
  /** Record key bytes; null for no key. */
  readonly key: Uint8Array | null;
  /** Record value bytes; null is a tombstone. */
  readonly value: Uint8Array | null;
  /** Record headers, in order. */
  readonly headers: readonly KafkaHeader[];
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/**
 * How far a consumer is behind in one partition, as its client last saw it.
 *
 * @example
 * ```ts
 * const behind = consumer.lag().reduce((sum, p) => sum + p.lag, 0);
 * ```
 */
export interface PartitionLag extends TopicPartition {
  /** The offset of the next record the consumer will return. */
  readonly position: number;
  /** The offset the next record written to the partition will get, at the last fetch. */
  readonly highWatermark: number;
  /** `highWatermark - position`: records written and not yet returned by `poll`. */
  readonly lag: number;
}

/** Partitions given to or taken from a consumer by its group. */
export interface RebalanceEvent {
  /** Whether the partitions were given or taken. */
  readonly type: "assign" | "revoke";
  /** The partitions concerned. */
  readonly partitions: readonly TopicPartition[];
}

/** Sends records; one instance is shared by every model of a process. */
export interface TransportProducer {
  /**
   * Sends a batch and resolves once every message has a delivery result, in
   * input order. It never rejects for a single message's failure: that
   * message's result carries the error.
   */
  send(messages: readonly OutgoingMessage[]): Promise<DeliveryResult[]>;
  /** Waits until every message sent so far has a delivery result. */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes, then releases the producer. */
  close(): Promise<void>;
}

/** How a consumer joins its group. */
export interface ConsumerOptions {
  /** Consumer group id. */
  readonly groupId: string;
  /** Start from the earliest offset when the group has no committed one. */
  readonly fromBeginning?: boolean;
  /**
   * A profile's librdkafka properties for this consumer, below the
   * transport's (user) properties; `enable.auto.commit` and
   * `enable.auto.offset.store` may only be false.
   */
  readonly properties?: KafkaProperties;
  /**
   * Let records' key and value bytes be views of a buffer shared with other
   * records rather than each owning its memory: less allocation for a caller
   * that never hands the bytes out, as the ConsumerLoop does. The buffer is
   * written again only after the caller gave back every record in it with
   * {@link TransportConsumer.release}. Transports may ignore it. Default false.
   */
  readonly sharedBytes?: boolean;
}

/**
 * Reads records as a member of a consumer group. Offsets are committed only
 * when asked (auto-commit off), so callers decide delivery semantics.
 */
export interface TransportConsumer {
  /** Joins the group and subscribes to these topics. */
  subscribe(topics: readonly string[]): Promise<void>;
  /**
   * Returns up to `maxMessages` records, waiting at most `timeoutMs` for the
   * first one; an empty array when none arrived. Never blocks the JS thread.
   */
  poll(maxMessages: number, timeoutMs: number): Promise<IncomingMessage[]>;
  /** Commits the given positions (next offset to read), synchronously with the broker. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The group's committed positions for these partitions. */
  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]>;
  /** Moves the fetch position of an assigned partition. */
  seek(position: TopicPartitionOffset): Promise<void>;
  /** Stops fetching from these partitions; the member stays in its group. */
  pause(partitions: readonly TopicPartition[]): void;
  /** Fetches again from paused partitions. */
  resume(partitions: readonly TopicPartition[]): void;
  /** The partitions currently assigned to this member. */
  assignment(): TopicPartition[];
  /**
   * Lag of the assigned partitions from the client's own cache, without a
   * broker round trip: the watermark is refreshed by each fetch, so a paused
   * partition's can be stale. Partitions with no position or watermark yet
   * (nothing fetched since the assignment) are left out.
   */
  lag(): PartitionLag[];
  /**
   * Calls `listener` on every assignment change; returns a function that
   * stops it. A revoke reaches listeners while the partitions are still
   * assigned, so a listener may commit them (the commit is sent at once).
   */
  onRebalance(listener: (event: RebalanceEvent) => void): () => void;
  /**
   * Tells a consumer with `sharedBytes` that the caller is done with this
   * record's key and value bytes, so their memory may hold later records.
   * Call it at most once per record, and read neither after. Optional: a
   * transport without it, or a record never released, just leaves the bytes
   * to the garbage collector.
   */
  release?(message: IncomingMessage): void;
  /** Leaves the group and releases the consumer. Does not commit. */
  close(): Promise<void>;
}

/**
 * What `ensureTopic` creates when the topic does not exist.
 *
 * @example
 * ```ts
 * await admin.ensureTopic({
 *   topic: "orders",
 *   partitions: 6,
 *   replicationFactor: 3,
 *   config: { "min.insync.replicas": "2" },
 * });
 * ```
 */
export interface TopicSpec {
  /** Topic name. */
  readonly topic: string;
  /** Partition count; default 1. */
  readonly partitions?: number;
  /**
   * Replication factor; by default 3, or the number of brokers when the
   * cluster has fewer (1 on a single node and on `memory://`).
   */
  readonly replicationFactor?: number;
  /**
   * Topic configuration, e.g. `{ "retention.ms": "3600000" }`; what is not
   * given takes the broker's default (`min.insync.replicas` among them).
   */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Where a partition's replicas are, by broker id.
 *
 * @example
 * ```ts
 * const [p0] = await admin.describeTopic("orders");
 * console.log(p0.leader, p0.isr.length < p0.replicas.length ? "under-replicated" : "in sync");
 * ```
 */
export interface PartitionReplicas {
  /** Partition number. */
  readonly partition: number;
  /** Broker id of the leader; -1 while the partition has none. */
  readonly leader: number;
  /** Broker ids of every replica. */
  readonly replicas: readonly number[];
  /** Broker ids of the in-sync replicas. */
  readonly isr: readonly number[];
}

/** Topics and group metadata. */
export interface TransportAdmin {
  /** Creates the topic unless it exists; resolves true when it created it. */
  ensureTopic(spec: TopicSpec): Promise<boolean>;
  /** Deletes the topic and its data. */
  deleteTopic(topic: string): Promise<void>;
  /** Names of the cluster's topics, internal ones excluded. */
  listTopics(): Promise<string[]>;
  /** Number of partitions of an existing topic. */
  partitionCount(topic: string): Promise<number>;
  /** Leaders and replicas of a topic's partitions, from the cluster's metadata. */
  describeTopic(topic: string): Promise<PartitionReplicas[]>;
  /** Ids of the brokers the cluster's metadata lists, sorted. */
  brokers(): Promise<number[]>;
  /** Committed offsets of a group, for every partition it has committed. */
  groupOffsets(groupId: string): Promise<TopicPartitionOffset[]>;
  /** Releases the admin client. */
  close(): Promise<void>;
}

/** Which implementation runs the transport. */
export type TransportName = "native" | "ffi" | "memory";

/** Everything a transport needs to reach the cluster. */
export interface TransportConfig {
  /** Comma-separated `host:port` list, or `memory://name` for the in-process broker. */
  readonly bootstrapServers: string;
  /** librdkafka properties for every client (security, client.id, ...). */
  readonly properties?: KafkaProperties;
  /** Overrides the runtime's default implementation. */
  readonly transport?: TransportName;
  /** Path to `librdkafka.so.1` for the `ffi` transport. */
  readonly librdkafkaPath?: string;
  /**
   * How long a new client waits for a first answer from any broker before it
   * fails with a TransportError naming the bootstrap servers; default 15 000.
   * Once connected, a client waits broker outages out.
   */
  readonly connectTimeoutMs?: number;
  /** Receives librdkafka's log lines and client errors; default: warn and above on the console. */
  readonly logger?: import("./logging.ts").Logger;
  /** Told of every client-level error (a broker down, a fatal producer error). */
  readonly onError?: (error: import("../errors.ts").TransportError) => void;
}

/** A connection to one Kafka cluster: a factory for producers, consumers and admins. */
export interface Transport {
  /** Which implementation this is. */
  readonly name: TransportName;
  /**
   * Creates a producer; `properties` are a profile's, below the transport's
   * (user) properties. Idempotent unless a layer says otherwise.
   */
  producer(properties?: KafkaProperties): Promise<TransportProducer>;
  /** Creates a consumer in the given group. */
  consumer(options: ConsumerOptions): Promise<TransportConsumer>;
  /** Creates an admin client. */
  admin(): Promise<TransportAdmin>;
  /** Closes every client this transport created. */
  close(): Promise<void>;
}
