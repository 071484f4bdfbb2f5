/**
 * One stage of a loop (the source topic, or the retry topics) on its own
 * consumer: polls while handlers have room, schedules messages in key order,
 * commits finished offsets as they are due and on a revoke, then drains.
 *
 * @module
 */
import type { LoopSettings } from "../profiles/settings.ts";
import { type MessageTrace, traceMessage } from "../telemetry/tracing.ts";
import type {
  IncomingMessage,
  TopicPartition,
  Transport,
  TransportConsumer,
} from "../transport/types.ts";
import { KeyScheduler } from "./key_scheduler.ts";
import { within } from "./latch.ts";
import { InFlight } from "./in_flight.ts";
import { type LoopParts, processMessage, where } from "./message_processor.ts";
import { PartitionOffsets } from "./offsets.ts";
import { partitionKey, PartitionMap } from "../transport/common/partition_key.ts";
import { Backpressure, PauseCounts } from "./pauses.ts";

/** A group reading some topics: the source stage, or the retry stage. */
export interface Stage {
  readonly groupId: string;
  readonly topics: string[];
  readonly isRetry: boolean;
}

/** What a stage needs besides the loop's parts. */
export interface StageEnvironment {
  readonly settings: LoopSettings;
  readonly concurrency: number;
  /** Receives the stage's summed consumer lag, a few times a second. */
  reportLag(lag: number): void;
}

const latin1 = new TextDecoder("latin1");

/** Consumes one stage until the loop stops, then drains, commits and closes its consumer. */
export async function runStage<T, K>(
  loop: LoopParts<T, K>,
  env: StageEnvironment,
  transport: Transport,
  stage: Stage,
): Promise<void> {
  const { settings, concurrency } = env;
  const options = loop.options;
  const strategy = options.commitStrategy ?? settings.commitStrategy;
  const fromBeginning = options.fromBeginning ??
    (stage.isRetry || settings.consumer["auto.offset.reset"] !== "latest");
  const consumer = await transport.consumer({
    groupId: stage.groupId,
    fromBeginning,
    // Records' bytes reach user code only through onError and onDeadLetter, which get copies.
    sharedBytes: true,
    // The resolved start wins over the profile's auto.offset.reset, which transports apply last.
    properties: {
      ...settings.consumer,
      "auto.offset.reset": fromBeginning ? "earliest" : "latest",
    },
  });
  const offsets = new PartitionOffsets();
  const pauses = new PauseCounts(consumer);
  const scheduler = new KeyScheduler(concurrency);
  const inFlight = new InFlight();
  const limit = concurrency + settings.pollBatchSize;
  // Polls for half a batch or more: a poll per finished message cost a round trip each.
  const refill = Math.ceil(settings.pollBatchSize / 2);
  const pauseAfterMs = Math.min(loop.maxPollIntervalMs / 3, 5_000);
  const backpressure = new Backpressure(pauses, consumer, pauseAfterMs);
  const probe = loop.health.stage(stage.groupId, loop.maxPollIntervalMs);
  const owned = new PartitionMap<true>();
  let finishedSinceCommit = 0;
  let lastCommit = Date.now();

  const commit = async (only?: readonly TopicPartition[]) => {
    const due = offsets.committable(only);
    if (!only) {
      finishedSinceCommit = 0;
      lastCommit = Date.now();
    }
    if (due.length === 0) return;
    try {
      await consumer.commit(due);
      offsets.committed(due);
    } catch (error) {
      loop.log.warn("commit failed; will retry", {
        group: stage.groupId,
        offsets: due,
        error: String(error),
      });
    }
  };
  // A due commit runs beside the polls, one at a time: awaited inline, each
  // one's round trips to the coordinator stalled consumption (200 per 200,000
  // messages at the Batch profile's commitEvery).
  let committing: Promise<void> | undefined;
  const commitWhenDue = () => {
    if (committing) return;
    if (
      finishedSinceCommit >= settings.commitEvery ||
      (finishedSinceCommit > 0 && Date.now() - lastCommit >= settings.commitIntervalMs)
    ) committing = commit().finally(() => committing = undefined);
  };
  const orderKey = (message: IncomingMessage): string | null => {
    if (concurrency === 1) return null; // one at a time is in every order
    if (stage.isRetry || options.orderBy === "partition") {
      return partitionKey(message);
    }
    return message.key === null ? null : `${message.topic}\u0000${latin1.decode(message.key)}`;
  };
  // Stage-wide rather than per message: a message's common path creates no closure but its task.
  const settle = (
    message: IncomingMessage,
    trace: MessageTrace,
    finish: () => void,
    done: boolean,
  ) => {
    trace.end(done);
    // Forwarding to a retry or dead letter topic was the last read of its bytes.
    consumer.release?.(message);
    if (done) {
      finish();
      finishedSinceCommit++;
    }
    loop.stats.inFlight--;
    inFlight.finished();
  };
  const unfinished = (
    message: IncomingMessage,
    trace: MessageTrace,
    finish: () => void,
    error: unknown,
  ) => {
    loop.log.error("message left unfinished", { ...where(message), error: String(error) });
    settle(message, trace, finish, false);
  };
  const start = (message: IncomingMessage, finish: () => void) => {
    scheduler.submit(orderKey(message), () => {
      const trace = traceMessage(message, stage.groupId);
      let outcome: boolean | Promise<boolean>;
      try {
        outcome = processMessage(loop, { message, isRetry: stage.isRetry, pauses, trace });
      } catch (error) {
        return unfinished(message, trace, finish, error);
      }
      // Handled without a promise: the common case, and the scheduler's next task may run at once.
      if (typeof outcome === "boolean") return settle(message, trace, finish, outcome);
      return outcome.then(
        (done) => settle(message, trace, finish, done),
        (error) => unfinished(message, trace, finish, error),
      );
    });
  };

  const stopRebalance = consumer.onRebalance((event) => {
    probe.assigned = true;
    const sign = event.type === "assign" ? 1 : -1;
    probe.partitions = Math.max(0, probe.partitions + sign * event.partitions.length);
    if (event.type === "assign") {
      for (const tp of event.partitions) owned.set(tp, true);
      return;
    }
    for (const tp of event.partitions) owned.delete(tp);
    // Finished work is committed while the partitions are still ours (the
    // commit is sent before this returns), so their next owner skips it.
    void commit(event.partitions);
    for (const tp of event.partitions) {
      offsets.forget(tp);
      pauses.forget(tp);
    }
  });

  let lagMeasuredAt = 0;
  const measureLag = (consumer: TransportConsumer) => {
    env.reportLag(consumer.lag().reduce((sum, p) => sum + p.lag, 0));
    lagMeasuredAt = Date.now();
  };
  await consumer.subscribe(stage.topics);
  try {
    while (!loop.stopping.on) {
      // Lag reads every partition's position: a few times a second, whether polling or full.
      if (Date.now() - lagMeasuredAt >= 250) measureLag(consumer);
      if (backpressure.shouldWait(inFlight.count > limit - refill)) {
        await within(inFlight.atMost(limit - refill), 100);
        commitWhenDue();
        continue;
      }
      const room = Math.min(settings.pollBatchSize, limit - inFlight.count);
      // A poll can return records fetched before a revoke it reported: their
      // partition's next owner reads them from the committed offset.
      const messages: IncomingMessage[] = [];
      for (const message of await consumer.poll(Math.max(room, 1), 100)) {
        if (owned.has(message)) messages.push(message);
        else consumer.release?.(message);
      }
      probe.lastPollAt = Date.now();
      const finishers = messages.map((message) => {
        const finish = offsets.begin(message);
        inFlight.started();
        loop.stats.inFlight++;
        if (strategy === "beforeProcessing") finish();
        return finish;
      });
      if (strategy === "beforeProcessing" && messages.length > 0) await commit();
      messages.forEach((message, i) => start(message, finishers[i]));
      commitWhenDue();
    }
    await drain(loop, inFlight);
    await committing;
    await commit();
    measureLag(consumer); // the final stats tell where the group stopped
  } finally {
    stopRebalance();
    await committing;
    await consumer.close();
  }
}

/** Waits for in-flight handlers; past `shutdownTimeoutMs`, aborts their signals and leaves them. */
async function drain<T, K>(loop: LoopParts<T, K>, inFlight: InFlight): Promise<void> {
  const timeout = loop.options.shutdownTimeoutMs ?? 30_000;
  if (await inFlight.settled(timeout)) return;
  loop.log.warn("in-flight handlers outlasted shutdownTimeoutMs; aborting them", {
    inFlight: inFlight.count,
  });
  loop.aborting.turnOn();
  // A handler that ignores its signal is left behind; its offset stays uncommitted.
  await inFlight.settled(1_000);
}
