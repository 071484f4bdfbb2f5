/**
 * How a model joins its consumer group: the group, a check that the topic
 * exists (fail fast naming it, or wait for it when asked), then a consumer
 * subscribed to the topic.
 *
 * @module
 */
import type { Model } from "./model.ts";
import { ConfigError } from "../errors.ts";
import { defaultLogger, type Logger } from "../transport/logging.ts";
import { awaitTopics } from "../transport/reachability.ts";
import type { Transport, TransportConsumer } from "../transport/types.ts";
import type { OnUndecodable } from "./undecodable.ts";

/** Options of `consume()` and `consumeOne()`. */
export interface ConsumeOptions {
  /** The consumer group; the model's `consumerGroup` by default. */
  readonly groupId?: string;
  /** Start at the earliest offset when the group has none committed. */
  readonly fromBeginning?: boolean;
  /**
   * Wait for the topic to be created instead of failing: by default a topic
   * that does not exist fails within the connection's `connectTimeoutMs`,
   * naming it. The wait is logged once.
   */
  readonly waitForTopic?: boolean;
  /**
   * How long a message waits, its partition paused, for a Schema Registry that does not
   * answer (network error, timeout, HTTP 5xx or 429) before the registry's error is thrown;
   * default: for ever (`consumeOne`: until its timeout).
   */
  readonly maxRegistryWaitMs?: number;
  /**
   * How often positions stored by `msg.commit()` are committed, in ms
   * (default 5,000); they are also committed on a rebalance and when the
   * iteration ends.
   */
  readonly commitIntervalMs?: number;
  /** What to do with a record that cannot be decoded; `"throw"` by default. */
  readonly onUndecodable?: OnUndecodable;
}

/** What subscribing needs from a model: its name, topic settings and connection. */
export type Subscribable = Pick<
  Model<unknown, unknown, unknown>,
  "name" | "settings" | "connection"
>;

/** The group to consume in: the option, else the model's; a ConfigError when neither. */
export function groupOf(model: Subscribable, options: ConsumeOptions): string {
  const groupId = options.groupId ?? model.settings.consumerGroup;
  if (!groupId) {
    throw new ConfigError(
      `${model.name} has no consumerGroup: pass { groupId } or set it in the model's settings`,
    );
  }
  return groupId;
}

/**
 * Resolves once every topic exists. Rejects within the connection's
 * `connectTimeoutMs` when no broker answers (naming the bootstrap servers)
 * or a topic is missing (naming it), unless `wait` asks to wait for it.
 */
export async function requireTopics(
  connection: {
    readonly connectTimeoutMs?: number;
    readonly logger?: Logger;
    readonly bootstrapServers?: string;
  },
  transport: Transport,
  topics: readonly string[],
  wait = false,
  signal?: AbortSignal,
): Promise<void> {
  const admin = await transport.admin();
  try {
    await awaitTopics(admin, topics, {
      timeoutMs: connection.connectTimeoutMs,
      wait,
      signal,
      onWait: (missing) =>
        (connection.logger ?? defaultLogger).warn(
          `waiting for topic ${missing.join(", ")} to be created`,
          { source: "flowodm", bootstrapServers: connection.bootstrapServers },
        ),
    });
  } finally {
    await admin.close();
  }
}

/**
 * A consumer in the model's group, subscribed to its topic once the topic
 * exists; `sharedBytes` as in ConsumerOptions (for a reader that never hands
 * record bytes out uncopied).
 */
export async function subscribe(
  model: Subscribable,
  options: ConsumeOptions,
  sharedBytes = false,
): Promise<TransportConsumer> {
  const groupId = groupOf(model, options);
  const transport = await model.connection.transport();
  await requireTopics(model.connection, transport, [model.settings.topic], options.waitForTopic);
  const consumer = await transport.consumer({
    groupId,
    fromBeginning: options.fromBeginning,
    sharedBytes,
  });
  await consumer.subscribe([model.settings.topic]);
  return consumer;
}
