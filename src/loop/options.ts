import type { KafkaHeader } from "../transport/types.ts";
import type { DecodedMessage, DecodedTombstone, DecodedValue } from "../model/consumed_message.ts";
import type { LoopSettings } from "../profiles/settings.ts";
import type { Backoff } from "./backoff.ts";
import type { LoopLogger } from "./logger.ts";
import type { LoopModel } from "./source.ts";

/**
 * What the loop adds to a consumed message for its handlers.
 *
 * @example
 * ```ts
 * handler: async (order, { attempt, signal }) => await save(order, { signal, retry: attempt > 1 })
 * ```
 */
export interface LoopAttempt {
  /** 1 for the first try; counts blocking retries and retry topics. */
  readonly attempt: number;
  /**
   * Aborted when shutdown outlasts `shutdownTimeoutMs`. One signal shared by
   * the loop's handler calls: listeners added to it should be removed when
   * the call is done with it (as `fetch` does).
   */
  readonly signal: AbortSignal;
}

/**
 * What a loop's handler (or `onTombstone`) receives: the consumed message, as
 * `Model.consume()` yields it (decoded value or tombstone, typed key, headers,
 * coordinates, writer schema id), with the attempt and an abort signal. `K`
 * is the model's key type.
 *
 * @example
 * ```ts
 * handler: async (order, ctx) => {
 *   if (ctx.attempt > 1) console.log("retry", ctx.key, ctx.offset);
 *   await save(order, { signal: ctx.signal });
 * }
 * ```
 */
export type MessageContext<T = unknown, K = string> =
  & DecodedMessage<T, K>
  & LoopAttempt;

/**
 * The raw record a failure hook receives.
 *
 * @example
 * ```ts
 * onError: (error, raw) => console.error(raw.topic, raw.partition, raw.offset, error)
 * ```
 */
export interface RawMessage {
  /** The topic the message was read from. */
  readonly topic: string;
  /** Its partition. */
  readonly partition: number;
  /** Its offset. */
  readonly offset: number;
  /** The message key bytes, or null. */
  readonly key: Uint8Array | null;
  /** The undecoded value bytes. */
  readonly value: Uint8Array | null;
  /** The message headers, in order. */
  readonly headers: readonly KafkaHeader[];
  /** Its timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

/**
 * Options of `ConsumerLoop` (and of its alias `AsyncConsumerLoop`). `K` is
 * the model's key type.
 *
 * @example
 * ```ts
 * const options: ConsumerLoopOptions<Order> = { model: Order, handler: async (order) => {}, deadLetter: true };
 * ```
 */
export interface ConsumerLoopOptions<T, K = string> {
  /** The model whose topic the loop consumes. */
  readonly model: LoopModel<T, K>;
  /** Handles one decoded value; throwing means it failed. */
  readonly handler: (
    value: T,
    context: DecodedValue<T, K> & LoopAttempt,
  ) => Promise<void> | void;
  /**
   * Handles tombstones (records with a null value, e.g. a deleted key on a
   * compacted topic), with the same retries, retry topics and dead letter
   * topic as the handler. Without it a tombstone is undecodable: it goes to
   * the dead letter topic.
   */
  readonly onTombstone?: (context: DecodedTombstone<K> & LoopAttempt) => Promise<void> | void;
  /** A profile or custom settings; RealTimeSettings() when absent. */
  readonly settings?: LoopSettings;
  /** Defaults to the model's consumerGroup. */
  readonly groupId?: string;
  /** Blocking retries after the first attempt. Default 3. */
  readonly maxRetries?: number;
  /** Base delay between blocking retries. Default 1000. */
  readonly retryDelayMs?: number;
  /** Default "exponential". */
  readonly backoff?: Backoff;
  /** Cap of a retry delay. Default 60 000. */
  readonly maxRetryDelayMs?: number;
  /** Which errors are worth retrying; all by default. */
  readonly retryOn?: (error: unknown) => boolean;
  /** Non-blocking retries through `<group>.<topic>.retry.<n>` topics, replacing blocking ones. */
  readonly retryTopics?: true | {
    readonly attempts?: number;
    readonly delaysMs?: readonly number[];
  };
  /**
   * How long a message waits for a Schema Registry that does not answer (a
   * network error, a timeout, HTTP 5xx or 429) before the loop stops with that
   * error, committing nothing from that message on. Default: wait for ever.
   * Such messages are never dead-lettered.
   */
  readonly maxRegistryWaitMs?: number;
  /**
   * Where messages go when all attempts failed or they can never be decoded (bad magic
   * byte, a schema id the registry does not know, bytes that do not parse, data the model
   * refuses).
   */
  readonly deadLetter?: true | { readonly topic: string };
  /** Overrides the settings' commit strategy. */
  readonly commitStrategy?: LoopSettings["commitStrategy"];
  /**
   * Handlers running at once. Default 1 (`AsyncConsumerLoop`: 20). Above 1,
   * messages of one key (or partition, see `orderBy`) still run in order.
   */
  readonly concurrency?: number;
  /** Ordering when `concurrency` is above 1: same key (default) or same partition. */
  readonly orderBy?: "key" | "partition";
  /** Runs before the first poll. */
  readonly onStartup?: () => Promise<void> | void;
  /** Runs after the last commit, before the consumer closes. */
  readonly onShutdown?: () => Promise<void> | void;
  /** Called for every failure, with the raw message and the value when it decoded. */
  readonly onError?: (
    error: unknown,
    raw: RawMessage,
    value: T | undefined,
  ) => Promise<void> | void;
  /** Called once a message is confirmed in the dead letter topic. */
  readonly onDeadLetter?: (raw: RawMessage, error: unknown) => Promise<void> | void;
  /** How long in-flight handlers may run after stop before their signal aborts. Default 30 000. */
  readonly shutdownTimeoutMs?: number;
  /** Stop gracefully on SIGTERM/SIGINT. Default true. */
  readonly handleSignals?: boolean;
  /** Where the loop logs; the connection's logger (`connect({ logger })`), else the console. */
  readonly logger?: import("./logger.ts").LoopLogger;
  /**
   * Wait for the source topic to be created instead of failing: by default a
   * topic that does not exist fails the run within the connection's
   * `connectTimeoutMs`, naming it. The wait is logged once.
   */
  readonly waitForTopic?: boolean;
  /**
   * Suppresses what the handler produces while it handles a message (see
   * `suppress`): to every topic (true) or to the listed ones. The recipe for
   * two-way sync without an endless loop of events.
   */
  readonly suppressProducers?: true | readonly string[];
  /** Start from the earliest offset for a new group. Default from the settings' auto.offset.reset. */
  readonly fromBeginning?: boolean;
}

export type { LoopLogger };
