/**
 * ConsumerLoop: the runner. It resolves the group, opens the failure routes,
 * runs a stage per consumer group (the source topic, and the retry topics
 * when there are any) and closes everything; the work is done by its parts:
 * `stage_runner.ts` (polling, scheduling, commits), `message_processor.ts`
 * (decode, handler, retries), `failure_routing.ts`, `offsets.ts`, `pauses.ts`.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { RegistryOutage } from "../registry/outage.ts";
import { RealTimeSettings } from "../profiles/profiles.ts";
import type { LoopSettings } from "../profiles/settings.ts";
import { requireTopics } from "../model/subscription.ts";
import { otelApi } from "../telemetry/api.ts";
import { watchLag } from "../telemetry/metrics.ts";
import { FailureRoutes } from "./failure_routing.ts";
import { LoopHealth } from "./health.ts";
import { Latch } from "./latch.ts";
import { consoleLogger, type LoopLogger } from "./logger.ts";
import type { LoopParts } from "./message_processor.ts";
import type { ConsumerLoopOptions } from "./options.ts";
import { onTerminate } from "./signals.ts";
import { runStage, type Stage } from "./stage_runner.ts";
import { type LoopStats, zeroStats } from "./stats.ts";

/**
 * Consumes a model's topic, at-least-once by default: an offset is committed
 * only after its handler finished or the message was written, with a
 * confirmed delivery, to a retry or dead letter topic. With `concurrency`
 * above 1, up to that many handlers run at once, messages of one key (or,
 * with `orderBy: "partition"`, one partition) in order; when handlers fall
 * behind, partitions are paused rather than buffered.
 *
 * Handlers receive the decoded value and the consumed message (typed key,
 * headers, coordinates, writer schema id) with the attempt and a signal.
 *
 * @example
 * ```ts
 * import { ConsumerLoop, RealTimeSettings } from "@flowodm/flowodm";
 * const loop = new ConsumerLoop({
 *   model: Order,
 *   handler: async (order, ctx) => console.log(ctx.key, ctx.offset, order),
 *   settings: RealTimeSettings(),
 *   concurrency: 8,
 *   deadLetter: true,
 * });
 * await loop.run(); // resolves after loop.stop() or SIGTERM/SIGINT
 * ```
 */
export class ConsumerLoop<T, K = string> {
  /** Counters since `run()` started. */
  readonly stats: LoopStats = zeroStats();
  /** What a health probe reads: the loop's state, its consumers, its busy handlers. */
  readonly health: LoopHealth = new LoopHealth();
  readonly #options: ConsumerLoopOptions<T, K>;
  readonly #settings: LoopSettings;
  readonly #stopping = new Latch();
  readonly #aborting = new Latch();
  /** Why the loop stopped on its own: a registry fault it may not wait out. */
  #fatal?: unknown;

  /** Creates the loop; nothing connects before `run()`. */
  constructor(options: ConsumerLoopOptions<T, K>) {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError(`concurrency must be an integer >= 1, got ${concurrency}`);
    }
    this.#options = options;
    this.#settings = options.settings ?? RealTimeSettings();
  }

  get #log(): LoopLogger {
    // Looked up when used: the model's connection may be set after the loop is made.
    return this.#options.logger ?? this.#options.model.connection.logger ?? consoleLogger;
  }

  /** Asks the loop to stop gracefully; `run()` resolves once it has. */
  stop(): void {
    if (!this.#stopping.on) this.#log.info("stopping");
    if (this.health.state === "starting" || this.health.state === "running") {
      this.health.state = "stopping";
    }
    this.#stopping.turnOn();
  }

  /**
   * A new loop of the same class with these options changed; `runWorker`
   * runs its loops, and restarts crashed ones, this way.
   */
  withOptions(overrides: Partial<ConsumerLoopOptions<T, K>>): ConsumerLoop<T, K> {
    const LoopClass = this.constructor as new (
      options: ConsumerLoopOptions<T, K>,
    ) => ConsumerLoop<T, K>;
    return new LoopClass({ ...this.#options, ...overrides });
  }

  /** Consumes until stopped, then drains, commits, leaves the group and closes. */
  async run(): Promise<void> {
    const options = this.#options;
    const topic = options.model.settings.topic;
    const group = options.groupId ?? options.model.settings.consumerGroup;
    if (!group) {
      throw new ConfigError(
        `ConsumerLoop for topic ${topic} needs groupId or the model's consumerGroup`,
      );
    }
    const concurrency = options.concurrency ?? 1;
    const transport = await options.model.connection.transport();
    // Fail fast naming the topic (or the unreachable brokers) rather than wait in silence.
    const waiting = this.#stopping.signal();
    try {
      await requireTopics(
        options.model.connection,
        transport,
        [topic],
        options.waitForTopic,
        waiting.signal,
      );
    } finally {
      waiting.release();
    }
    await otelApi(); // loaded once, so that every message can be traced without waiting
    const routes = new FailureRoutes(group, topic, options);
    await routes.open(transport, topic, this.#settings);
    const unlisten = options.handleSignals === false ? () => {} : onTerminate(() => this.stop());
    const lags = new Map<string, number>();
    const unwatch = watchLag({
      "messaging.system": "kafka",
      "messaging.destination.name": topic,
      "messaging.consumer.group.name": group,
    }, () => this.stats.lag);
    try {
      await options.onStartup?.();
      this.#log.info("started", { topic, group, concurrency });
      const stages: Stage[] = [{ groupId: group, topics: [topic], isRetry: false }];
      if (routes.retryTopics.length > 0) {
        stages.push({ groupId: `${group}.retry`, topics: [...routes.retryTopics], isRetry: true });
      }
      this.health.starting(stages.length);
      const parts = this.#parts(routes);
      const results = await Promise.allSettled(stages.map((stage) =>
        runStage(
          parts,
          {
            settings: this.#settings,
            concurrency,
            reportLag: (lag) => {
              lags.set(stage.groupId, lag);
              this.stats.lag = [...lags.values()].reduce((sum, each) => sum + each, 0);
            },
          },
          transport,
          stage,
        )
      ));
      this.stop();
      for (const result of results) if (result.status === "rejected") throw result.reason;
      if (this.#fatal !== undefined) throw this.#fatal;
    } finally {
      unlisten();
      unwatch();
      this.health.state = "stopping";
      await routes.close();
      await options.onShutdown?.();
      this.#log.info("stopped", { topic, group, ...this.stats });
      this.health.state = "stopped";
    }
  }

  #parts(routes: FailureRoutes): LoopParts<T, K> {
    // The logger is looked up when used: the model's connection may be set after the loop is made.
    const log: LoopLogger = {
      info: (message, fields) => this.#log.info(message, fields),
      warn: (message, fields) => this.#log.warn(message, fields),
      error: (message, fields) => this.#log.error(message, fields),
    };
    return {
      options: this.#options,
      routes,
      stats: this.stats,
      health: this.health,
      outage: new RegistryOutage(log, { topic: this.#options.model.settings.topic }),
      stopping: this.#stopping,
      aborting: this.#aborting,
      log,
      maxPollIntervalMs: Number(this.#settings.consumer["max.poll.interval.ms"] ?? 300_000),
      fatal: (error) => {
        this.#fatal ??= error;
        this.stop();
      },
    };
  }
}
