/**
 * What a running loop tells a health probe: whether each of its consumers
 * has joined its group and still polls, and whether a handler has been busy
 * for longer than the consumer's `max.poll.interval.ms` (Kafka's own bound
 * on how long a member may go without progress).
 *
 * @module
 */

/** Where a loop is in its life. */
export type LoopState = "idle" | "starting" | "running" | "stopping" | "stopped";

/**
 * One consumer of a loop (the source topic's, or the retry topics').
 *
 * @example
 * ```ts
 * for (const stage of loop.health.stages()) console.log(stage.group, stage.assigned);
 * ```
 */
export interface StageHealth {
  /** Its consumer group. */
  readonly group: string;
  /** The consumer's `max.poll.interval.ms`. */
  readonly maxPollIntervalMs: number;
  /** Epoch ms of its last poll (or of its creation before the first). */
  lastPollAt: number;
  /** True once the group gave it an assignment, even an empty one. */
  assigned: boolean;
  /** Partitions it holds. */
  partitions: number;
}

/** Where a handler runs (a message's coordinates, formatted only when it is reported stuck). */
type HandlerPlace = { readonly topic: string; readonly partition: number; readonly offset: number };

/**
 * A loop's health, as `loop.health`; read by `runWorker`'s `/livez` and `/readyz`.
 *
 * @example
 * ```ts
 * const reason = loop.health.stuck(); // undefined while the loop polls and its handlers progress
 * ```
 */
export class LoopHealth {
  /** Where the loop is in its life. */
  state: LoopState = "idle";
  #expected = 0;
  readonly #stages = new Map<string, StageHealth>();
  // Running handlers by slot, in parallel arrays with a free list: a slot is
  // reused once its handler ends, so a handled message allocates nothing here.
  readonly #places: (HandlerPlace | string | undefined)[] = [];
  readonly #since: number[] = [];
  readonly #maxMs: number[] = [];
  readonly #freeSlots: number[] = [];

  /** The loop starts, with this many consumers. */
  starting(stages: number): void {
    this.state = "starting";
    this.#expected = stages;
    this.#stages.clear();
  }

  /** A consumer was created. */
  stage(group: string, maxPollIntervalMs: number): StageHealth {
    const stage = {
      group,
      maxPollIntervalMs,
      lastPollAt: Date.now(),
      assigned: false,
      partitions: 0,
    };
    this.#stages.set(group, stage);
    if (this.state === "starting" && this.#stages.size === this.#expected) this.state = "running";
    return stage;
  }

  /** The consumers, in creation order. */
  stages(): StageHealth[] {
    return [...this.#stages.values()];
  }

  /** A handler started on a message; returns the token `handlerEnded` takes. */
  handlerStarted(
    where: { readonly topic: string; readonly partition: number; readonly offset: number } | string,
    maxMs: number,
  ): number {
    const slot = this.#freeSlots.pop() ?? this.#places.length;
    this.#places[slot] = where;
    this.#since[slot] = Date.now();
    this.#maxMs[slot] = maxMs;
    return slot;
  }

  /** That handler returned or threw. */
  handlerEnded(slot: number): void {
    if (this.#places[slot] === undefined) return;
    this.#places[slot] = undefined;
    this.#freeSlots.push(slot);
  }

  /** True while running with every consumer in its group and assigned (possibly nothing). */
  ready(): boolean {
    return this.state === "running" && this.stages().every((stage) => stage.assigned);
  }

  /** Why the loop is stuck (a consumer not polling, a handler past the poll interval), or undefined. */
  stuck(now: number = Date.now()): string | undefined {
    if (this.state !== "running" && this.state !== "stopping") return undefined;
    for (const stage of this.#stages.values()) {
      const idle = now - stage.lastPollAt;
      if (idle > stage.maxPollIntervalMs) {
        return `group ${stage.group} has not polled for ${idle} ms (max.poll.interval.ms ${stage.maxPollIntervalMs})`;
      }
    }
    let longest = -1;
    for (let slot = 0; slot < this.#places.length; slot++) {
      const running = now - this.#since[slot];
      if (this.#places[slot] === undefined || running <= this.#maxMs[slot]) continue;
      if (longest < 0 || running > now - this.#since[longest]) longest = slot;
    }
    if (longest < 0) return undefined;
    return `a handler has been running for ${now - this.#since[longest]} ms on ${
      placeText(this.#places[longest]!)
    } (max.poll.interval.ms ${this.#maxMs[longest]})`;
  }
}

function placeText(where: HandlerPlace | string): string {
  return typeof where === "string" ? where : `${where.topic}[${where.partition}]@${where.offset}`;
}
