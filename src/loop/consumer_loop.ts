import { setMaxListeners } from "node:events";
import { ConfigError, RegistryError } from "../errors.ts";
import { registryDidNotAnswer, RegistryOutage } from "../registry/outage.ts";
import { RealTimeSettings } from "../profiles/profiles.ts";
import type { LoopSettings } from "../profiles/settings.ts";
import type {
  IncomingMessage,
  KafkaHeader,
  TopicPartition,
  TopicPartitionOffset,
  Transport,
  TransportConsumer,
  TransportProducer,
} from "../transport/types.ts";
import { retryDelay } from "./backoff.ts";
import { FailureHeader, failureHeaders, headerText, type Origin, originOf } from "./headers.ts";
import { LoopHealth } from "./health.ts";
import { KeyScheduler } from "./key_scheduler.ts";
import { consoleLogger, type LoopLogger } from "./logger.ts";
import { requireTopics } from "../model/subscription.ts";
import { OffsetTracker } from "./offset_tracker.ts";
import type { ConsumerLoopOptions, MessageContext } from "./options.ts";
import { onTerminate } from "./signals.ts";
import { suppressedBy } from "../suppress/scope.ts";
import { otelApi } from "../telemetry/api.ts";
import { watchLag } from "../telemetry/metrics.ts";
import { type MessageTrace, noTrace, traceMessage } from "../telemetry/tracing.ts";
import type { LoopStats } from "./stats.ts";

const defaultRetryDelays = [1_000, 10_000, 60_000];

interface Stage {
  readonly groupId: string;
  readonly topics: string[];
  readonly isRetry: boolean;
}

interface Routes {
  readonly group: string;
  readonly producer?: TransportProducer;
  readonly deadLetterTopic?: string;
  readonly retryDelays?: readonly number[];
}

const partitionKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
const latin1 = new TextDecoder("latin1");

/**
 * Consumes a model's topic one message at a time, at-least-once by default:
 * an offset is committed only after its handler finished or the message was
 * written, with a confirmed delivery, to a retry or dead letter topic.
 *
 * @example
 * ```ts
 * import { ConsumerLoop, RealTimeSettings } from "@flowodm/flowodm";
 * const loop = new ConsumerLoop({
 *   model: Order,
 *   handler: async (order, ctx) => console.log(ctx.offset, order),
 *   settings: RealTimeSettings(),
 *   deadLetter: true,
 * });
 * await loop.run(); // resolves after loop.stop() or SIGTERM/SIGINT
 * ```
 */
export class ConsumerLoop<T> {
  /** Counters since `run()` started. */
  readonly stats: LoopStats = {
    processed: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    lag: 0,
    inFlight: 0,
    waitingForRegistry: 0,
  };
  /** What a health probe reads: the loop's state, its consumers, its busy handlers. */
  readonly health: LoopHealth = new LoopHealth();
  /** Consumer lag of each stage's group, summed into `stats.lag`. */
  readonly #lags = new Map<string, number>();
  /** Each in-flight message's OpenTelemetry span (no-ops without OpenTelemetry). */
  readonly #traces = new WeakMap<IncomingMessage, MessageTrace>();
  readonly #options: ConsumerLoopOptions<T>;
  readonly #concurrency: number;
  readonly #settings: LoopSettings;
  readonly #stopping = new AbortController();
  readonly #aborting = new AbortController();
  readonly #outage: RegistryOutage;
  /** Why the loop stopped on its own: a registry fault it may not wait out. */
  #fatal?: unknown;

  /** Creates the loop; nothing connects before `run()`. */
  constructor(options: ConsumerLoopOptions<T>, concurrency = 1) {
    this.#options = options;
    this.#concurrency = concurrency;
    this.#settings = options.settings ?? RealTimeSettings();
    // The logger is looked up when used: the model's connection may be set after the loop is made.
    const log: LoopLogger = {
      info: (message, fields) => this.#log.info(message, fields),
      warn: (message, fields) => this.#log.warn(message, fields),
      error: (message, fields) => this.#log.error(message, fields),
    };
    this.#outage = new RegistryOutage(log, { topic: options.model.settings.topic });
    // Each waiting message listens to these (backoffs, retry due times, handlers'
    // own ctx.signal use): many at once is normal, not a leak worth a warning.
    setMaxListeners(0, this.#stopping.signal, this.#aborting.signal);
  }

  get #log(): LoopLogger {
    return this.#options.logger ?? this.#options.model.connection.logger ?? consoleLogger;
  }

  /** Asks the loop to stop gracefully; `run()` resolves once it has. */
  stop(): void {
    if (!this.#stopping.signal.aborted) this.#log.info("stopping");
    if (this.health.state === "starting" || this.health.state === "running") {
      this.health.state = "stopping";
    }
    this.#stopping.abort();
  }

  /**
   * A new loop of the same class with these options changed; `runWorker`
   * runs its loops, and restarts crashed ones, this way.
   */
  withOptions(overrides: Partial<ConsumerLoopOptions<T>>): ConsumerLoop<T> {
    const LoopClass = this.constructor as new (
      options: ConsumerLoopOptions<T>,
      concurrency: number,
    ) => ConsumerLoop<T>;
    return new LoopClass({ ...this.#options, ...overrides }, this.#concurrency);
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
    const transport = await options.model.connection.transport();
    // Fail fast naming the topic (or the unreachable brokers) rather than wait in silence.
    await requireTopics(
      options.model.connection,
      transport,
      [topic],
      options.waitForTopic,
      this.#stopping.signal,
    );
    await otelApi(); // loaded once, so that every message can be traced without waiting
    const retryDelays = this.#retryDelays();
    const deadLetterTopic = options.deadLetter === undefined
      ? undefined
      : options.deadLetter === true
      ? `${group}.${topic}.dlt`
      : options.deadLetter.topic;
    const retryTopics = retryDelays.map((_, i) => `${group}.${topic}.retry.${i + 1}`);
    let producer: TransportProducer | undefined;
    if (deadLetterTopic || retryTopics.length > 0) {
      await this.#createTopics(transport, topic, [
        ...retryTopics,
        ...(deadLetterTopic ? [deadLetterTopic] : []),
      ]);
      producer = await transport.producer(this.#settings.producer);
    }
    const routes: Routes = { group, producer, deadLetterTopic, retryDelays };
    const unlisten = options.handleSignals === false ? () => {} : onTerminate(() => this.stop());
    const unwatch = watchLag({
      "messaging.system": "kafka",
      "messaging.destination.name": topic,
      "messaging.consumer.group.name": group,
    }, () => this.stats.lag);
    try {
      await options.onStartup?.();
      this.#log.info("started", { topic, group, concurrency: this.#concurrency });
      const stages: Stage[] = [{ groupId: group, topics: [topic], isRetry: false }];
      if (retryTopics.length > 0) {
        stages.push({ groupId: `${group}.retry`, topics: retryTopics, isRetry: true });
      }
      this.health.starting(stages.length);
      const results = await Promise.allSettled(
        stages.map((stage) => this.#consume(transport, stage, routes)),
      );
      this.stop();
      for (const result of results) if (result.status === "rejected") throw result.reason;
      if (this.#fatal !== undefined) throw this.#fatal;
    } finally {
      unlisten();
      unwatch();
      this.health.state = "stopping";
      await producer?.close();
      await options.onShutdown?.();
      this.#log.info("stopped", { topic, group, ...this.stats });
      this.health.state = "stopped";
    }
  }

  #retryDelays(): readonly number[] {
    const retry = this.#options.retryTopics;
    if (retry === undefined) return [];
    if (retry === true) return defaultRetryDelays;
    const attempts = retry.attempts ?? retry.delaysMs?.length ?? defaultRetryDelays.length;
    const delays = retry.delaysMs ?? defaultRetryDelays;
    return Array.from({ length: attempts }, (_, i) => delays[Math.min(i, delays.length - 1)]);
  }

  async #createTopics(transport: Transport, source: string, topics: string[]): Promise<void> {
    const admin = await transport.admin();
    try {
      const partitions = await admin.partitionCount(source);
      for (const topic of topics) await admin.ensureTopic({ topic, partitions });
    } finally {
      await admin.close();
    }
  }

  async #consume(transport: Transport, stage: Stage, routes: Routes): Promise<void> {
    const settings = this.#settings;
    const strategy = this.#options.commitStrategy ?? settings.commitStrategy;
    const fromBeginning = this.#options.fromBeginning ??
      (stage.isRetry || settings.consumer["auto.offset.reset"] !== "latest");
    const consumer = await transport.consumer({
      groupId: stage.groupId,
      fromBeginning,
      // The resolved start wins over the profile's auto.offset.reset, which transports apply last.
      properties: {
        ...settings.consumer,
        "auto.offset.reset": fromBeginning ? "earliest" : "latest",
      },
    });
    const trackers = new Map<string, OffsetTracker>();
    const committed = new Map<string, number>();
    const pauses = new Map<string, number>();
    const scheduler = new KeyScheduler(this.#concurrency);
    const tasks = new Set<Promise<void>>();
    const limit = this.#concurrency + settings.pollBatchSize;
    // librdkafka only re-fetches a paused partition after a backoff, so pausing is
    // the fallback for long stalls; short ones just stop taking messages (its own
    // prefetch queue is bounded by queued.max.messages.kbytes).
    const maxPollIntervalMs = Number(settings.consumer["max.poll.interval.ms"] ?? 300_000);
    const pauseAfterMs = Math.min(maxPollIntervalMs / 3, 5_000);
    const probe = this.health.stage(stage.groupId, maxPollIntervalMs);
    let fullSince = 0;
    let outstanding = 0;
    let finishedSinceCommit = 0;
    let lastCommit = Date.now();
    let backPressure: TopicPartition[] = [];

    const pause = (tp: TopicPartition) => {
      const key = partitionKey(tp);
      const count = pauses.get(key) ?? 0;
      pauses.set(key, count + 1);
      if (count === 0) consumer.pause([tp]);
    };
    const resume = (tp: TopicPartition) => {
      const key = partitionKey(tp);
      const count = (pauses.get(key) ?? 1) - 1;
      if (count > 0) return void pauses.set(key, count);
      pauses.delete(key);
      if (consumer.assignment().some((a) => partitionKey(a) === key)) consumer.resume([tp]);
    };
    const commit = async (only?: readonly TopicPartition[]) => {
      const offsets: TopicPartitionOffset[] = [];
      for (const [key, tracker] of trackers) {
        const offset = tracker.committable();
        if (offset === undefined || offset <= (committed.get(key) ?? -1)) continue;
        const [topic, partition] = key.split("\u0000");
        if (only && !only.some((tp) => partitionKey(tp) === key)) continue;
        offsets.push({ topic, partition: Number(partition), offset });
      }
      if (!only) {
        finishedSinceCommit = 0;
        lastCommit = Date.now();
      }
      if (offsets.length === 0) return;
      try {
        await consumer.commit(offsets);
        for (const o of offsets) committed.set(partitionKey(o), o.offset);
      } catch (error) {
        this.#log.warn("commit failed; will retry", {
          group: stage.groupId,
          offsets,
          error: String(error),
        });
      }
    };

    const commitWhenDue = async () => {
      if (
        finishedSinceCommit >= settings.commitEvery ||
        (finishedSinceCommit > 0 && Date.now() - lastCommit >= settings.commitIntervalMs)
      ) await commit();
    };

    let lagMeasuredAt = 0;
    const owned = new Set<string>();
    const stopRebalance = consumer.onRebalance((event) => {
      probe.assigned = true;
      probe.partitions = Math.max(
        0,
        probe.partitions + (event.type === "assign" ? 1 : -1) * event.partitions.length,
      );
      if (event.type === "assign") {
        for (const tp of event.partitions) owned.add(partitionKey(tp));
        return;
      }
      for (const tp of event.partitions) owned.delete(partitionKey(tp));
      // Finished work is committed while the partitions are still ours (the
      // commit is sent before this returns), so their next owner skips it.
      void commit(event.partitions);
      for (const tp of event.partitions) {
        trackers.delete(partitionKey(tp));
        committed.delete(partitionKey(tp));
        pauses.delete(partitionKey(tp));
      }
    });

    await consumer.subscribe(stage.topics);
    try {
      while (!this.#stopping.signal.aborted) {
        // Lag reads every partition's position: a few times a second, whether polling or full.
        if (Date.now() - lagMeasuredAt >= 250) {
          this.#measureLag(stage, consumer);
          lagMeasuredAt = Date.now();
        }
        if (outstanding >= limit) {
          fullSince ||= Date.now();
          if (backPressure.length === 0 && Date.now() - fullSince >= pauseAfterMs) {
            backPressure = consumer.assignment();
            for (const tp of backPressure) pause(tp);
          }
          if (backPressure.length === 0) {
            await within(Promise.race(tasks), 100);
            await commitWhenDue();
            continue;
          }
        } else {
          fullSince = 0;
          if (backPressure.length > 0) {
            for (const tp of backPressure) resume(tp);
            backPressure = [];
          }
        }
        const room = Math.min(settings.pollBatchSize, limit - outstanding);
        // A poll can return records fetched before a revoke it reported: their
        // partition's next owner reads them from the committed offset.
        const messages = (await consumer.poll(Math.max(room, 1), 100))
          .filter((message) => owned.has(partitionKey(message)));
        probe.lastPollAt = Date.now();
        for (const message of messages) {
          const key = partitionKey(message);
          let tracker = trackers.get(key);
          if (!tracker) trackers.set(key, tracker = new OffsetTracker());
          tracker.begin(message.offset);
          outstanding++;
          this.stats.inFlight++;
          if (strategy === "beforeProcessing") tracker.finish(message.offset);
        }
        if (strategy === "beforeProcessing" && messages.length > 0) await commit();
        for (const message of messages) {
          const tracker = trackers.get(partitionKey(message))!;
          const orderKey = this.#orderKey(message, stage);
          const task = scheduler.submit(orderKey, async () => {
            const trace = traceMessage(message, stage.groupId);
            this.#traces.set(message, trace);
            let done = false;
            try {
              done = await this.#process(message, stage, routes, pause, resume);
            } finally {
              trace.end(done);
            }
            if (done) {
              tracker.finish(message.offset);
              finishedSinceCommit++;
            }
          }).catch((error) => {
            this.#log.error("message left unfinished", { ...where(message), error: String(error) });
          }).finally(() => {
            outstanding--;
            this.stats.inFlight--;
            tasks.delete(task);
          });
          tasks.add(task);
        }
        await commitWhenDue();
      }
      await this.#drain(tasks);
      await commit();
      this.#measureLag(stage, consumer); // the final stats tell where the group stopped
    } finally {
      stopRebalance();
      await consumer.close();
    }
  }

  #measureLag(stage: Stage, consumer: TransportConsumer): void {
    this.#lags.set(stage.groupId, consumer.lag().reduce((sum, p) => sum + p.lag, 0));
    this.stats.lag = [...this.#lags.values()].reduce((sum, lag) => sum + lag, 0);
  }

  #orderKey(message: IncomingMessage, stage: Stage): string | null {
    if (stage.isRetry || this.#concurrency === 1 || this.#options.orderBy === "partition") {
      return partitionKey(message);
    }
    return message.key === null ? null : `${message.topic}\u0000${latin1.decode(message.key)}`;
  }

  async #drain(tasks: Set<Promise<void>>): Promise<void> {
    if (tasks.size === 0) return;
    const timeout = this.#options.shutdownTimeoutMs ?? 30_000;
    const all = Promise.allSettled([...tasks]);
    if (await within(all, timeout)) return;
    this.#log.warn("in-flight handlers outlasted shutdownTimeoutMs; aborting them", {
      inFlight: tasks.size,
    });
    this.#aborting.abort();
    // A handler that ignores its signal is left behind; its offset stays uncommitted.
    await within(all, 1_000);
  }

  /** Handles one message; true when it is finished (its offset may be committed). */
  async #process(
    message: IncomingMessage,
    stage: Stage,
    routes: Routes,
    pause: (tp: TopicPartition) => void,
    resume: (tp: TopicPartition) => void,
  ): Promise<boolean> {
    const options = this.#options;
    const origin = originOf(message);
    const previous = Number(headerText(message.headers, FailureHeader.attempt) ?? 0);
    const firstAttempt = stage.isRetry ? previous + 1 : 1;
    if (stage.isRetry) {
      const due = Number(headerText(message.headers, FailureHeader.retryDue) ?? 0);
      if (due > Date.now()) {
        pause(message);
        const waited = await sleep(due - Date.now(), this.#stopping.signal);
        resume(message);
        if (!waited) return false;
      }
    }
    const onTombstone = message.value === null ? options.onTombstone : undefined;
    let value: T | undefined;
    if (!onTombstone) {
      try {
        // A registry that does not answer is waited out with this partition paused: the
        // message may be fine, so it is never dead-lettered for that.
        const decoded = await this.#outage.retry(() =>
          options.model.decode(message.value, {
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
          }), {
          signal: this.#stopping.signal,
          maxWaitMs: options.maxRegistryWaitMs,
          onWait: () => {
            pause(message);
            this.stats.waitingForRegistry++;
          },
          onDone: () => {
            resume(message);
            this.stats.waitingForRegistry--;
          },
        });
        if (!decoded) return false; // stopped while waiting: the offset stays uncommitted
        value = decoded.value;
      } catch (error) {
        if (error instanceof RegistryError || registryDidNotAnswer(error)) {
          // Not the message's fault (an outage past maxRegistryWaitMs, or e.g. HTTP 401):
          // stop without committing it or anything after it.
          this.#fatal ??= error;
          this.#log.error("the Schema Registry fails; stopping the loop", {
            ...where(message),
            error: String(error),
          });
          this.stop();
          return false;
        }
        this.stats.failed++;
        this.#trace(message).failed(error);
        this.#log.error("undecodable message", { ...where(message), error: String(error) });
        await options.onError?.(error, message, undefined);
        return await this.#deadLetter(message, origin, firstAttempt, error, routes);
      }
    }
    const handle = onTombstone ?? ((context: MessageContext) => options.handler(value!, context));
    const blockingRetries = routes.retryDelays!.length > 0 ? 0 : (options.maxRetries ?? 3);
    let lastError: unknown;
    let attempt = firstAttempt;
    for (let retry = 0;; retry++) {
      attempt = firstAttempt + retry;
      const context: MessageContext = {
        key: message.key,
        headers: message.headers,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        attempt,
        signal: this.#aborting.signal,
      };
      try {
        await this.#handle(message, () => handle(context));
        this.stats.processed++;
        this.#trace(message).handled();
        return true;
      } catch (error) {
        lastError = error;
        this.stats.failed++;
        this.#trace(message).failed(error);
        this.#log.warn("handler failed", { ...where(message), attempt, error: String(error) });
        const retryable = options.retryOn?.(error) ?? true;
        if (!retryable || retry >= blockingRetries) break;
        // Stopping between blocking retries: leave the offset uncommitted so it is delivered again.
        if (this.#stopping.signal.aborted) return false;
      }
      this.stats.retried++;
      this.#trace(message).event("retry", { "flowodm.attempt": attempt + 1 });
      pause(message);
      const delay = retryDelay(
        retry + 1,
        options.retryDelayMs ?? 1_000,
        options.backoff ?? "exponential",
        options.maxRetryDelayMs ?? 60_000,
      );
      const waited = await sleep(delay, this.#stopping.signal);
      resume(message);
      if (!waited) return false;
    }
    await options.onError?.(lastError, message, value);
    const delays = routes.retryDelays!;
    const retryable = options.retryOn?.(lastError) ?? true;
    if (retryable && delays.length > 0 && attempt <= delays.length) {
      const due = Date.now() + delays[attempt - 1];
      const topic = `${routes.group}.${origin.topic}.retry.${attempt}`;
      const headers = this.#trace(message).inject(failureHeaders(message.headers, {
        origin,
        attempt,
        error: lastError,
        dueMs: due,
      }));
      const sent = await this.#forward(message, topic, headers, routes);
      if (sent) this.stats.retried++;
      if (sent) this.#trace(message).event("retry_topic", { "messaging.destination.name": topic });
      return sent;
    }
    return await this.#deadLetter(message, origin, attempt, lastError, routes);
  }

  /** Runs a handler call: watched by the health probe, with producers suppressed as configured. */
  async #handle(message: IncomingMessage, call: () => Promise<void> | void): Promise<void> {
    const maxMs = Number(this.#settings.consumer["max.poll.interval.ms"] ?? 300_000);
    const busy = this.health.handlerStarted(
      `${message.topic}[${message.partition}]@${message.offset}`,
      maxMs,
    );
    try {
      await this.#trace(message).run(async () =>
        await suppressedBy(this.#options.suppressProducers, call)
      );
    } finally {
      this.health.handlerEnded(busy);
    }
  }

  #trace(message: IncomingMessage): MessageTrace {
    return this.#traces.get(message) ?? noTrace;
  }

  async #deadLetter(
    message: IncomingMessage,
    origin: Origin,
    attempt: number,
    error: unknown,
    routes: Routes,
  ): Promise<boolean> {
    if (!routes.deadLetterTopic) {
      this.#trace(message).end({ error });
      this.#log.error("message failed and no dead letter topic is configured; skipping it", {
        ...where(message),
        error: String(error),
      });
      return true;
    }
    const sent = await this.#forward(
      message,
      routes.deadLetterTopic,
      this.#trace(message).inject(failureHeaders(message.headers, { origin, attempt, error })),
      routes,
    );
    if (sent) {
      this.stats.deadLettered++;
      this.#trace(message).deadLettered(routes.deadLetterTopic, error);
      this.#log.warn("dead-lettered", {
        ...where(message),
        deadLetterTopic: routes.deadLetterTopic,
      });
      await this.#options.onDeadLetter?.(message, error);
    }
    return sent;
  }

  /** Writes the original bytes with new headers; retries until delivery is confirmed or the loop stops. */
  async #forward(
    message: IncomingMessage,
    topic: string,
    headers: KafkaHeader[],
    routes: Routes,
  ): Promise<boolean> {
    const producer = routes.producer!;
    for (let attempt = 1;; attempt++) {
      const [result] = await producer.send([{
        topic,
        partition: message.partition,
        key: message.key,
        value: message.value,
        headers,
        timestamp: message.timestamp,
      }]);
      if (result.ok) return true;
      this.#log.error("forwarding failed; retrying", {
        ...where(message),
        to: topic,
        error: String(result.error),
      });
      if (!await sleep(Math.min(1_000 * attempt, 10_000), this.#stopping.signal)) return false;
    }
  }
}

function where(message: IncomingMessage) {
  return { topic: message.topic, partition: message.partition, offset: message.offset };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** True when `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
