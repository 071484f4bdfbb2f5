/**
 * The shapes `runWorker` works with: what counts as a loop, the options, and
 * what it reports about each loop.
 *
 * @module
 */
import type { LoopHealth } from "../loop/health.ts";
import type { LoopLogger } from "../loop/logger.ts";
import type { ConsumerLoopOptions } from "../loop/options.ts";
import type { LoopStats } from "../loop/stats.ts";

/**
 * What the worker needs of a loop: every `ConsumerLoop` and `AsyncConsumerLoop` is one.
 *
 * @example
 * ```ts
 * const loop: WorkerLoop = new ConsumerLoop({ model: Order, handler });
 * ```
 */
export interface WorkerLoop {
  /** Consumes until stopped. */
  run(): Promise<void>;
  /** Asks it to stop gracefully. */
  stop(): void;
  /** Its counters. */
  readonly stats: LoopStats;
  /** Its health, read by the probes. */
  readonly health: LoopHealth;
  /** A new loop with these options changed (the worker runs each loop this way). */
  // deno-lint-ignore no-explicit-any
  withOptions(overrides: Partial<ConsumerLoopOptions<any, any>>): WorkerLoop;
}

/**
 * A loop, or a function making one (called again at each restart).
 *
 * @example
 * ```ts
 * const entry: LoopEntry = () => new ConsumerLoop({ model: Order, handler });
 * ```
 */
export type LoopEntry = WorkerLoop | (() => WorkerLoop | Promise<WorkerLoop>);

/**
 * Options of `runWorker`.
 *
 * @example
 * ```ts
 * const options: WorkerOptions = { only: ["orders"], health: { port: 8080 }, maxRestarts: 5 };
 * ```
 */
export interface WorkerOptions {
  /** Run only the loops of these names. */
  readonly only?: readonly string[];
  /** Serve `/livez`, `/readyz` and `/stats` here; `host` is 127.0.0.1 by default. */
  readonly health?: { readonly port: number; readonly host?: string };
  /** Restarts of a crashing loop before the worker gives up. Default 5. */
  readonly maxRestarts?: number;
  /** First restart delay, doubled at each restart. Default 1 000. */
  readonly restartDelayMs?: number;
  /** Cap of the restart delay. Default 30 000. */
  readonly maxRestartDelayMs?: number;
  /** A loop that ran this long before crashing starts its restart count afresh. Default 60 000. */
  readonly stableAfterMs?: number;
  /** Stop every loop on SIGTERM/SIGINT. Default true. */
  readonly handleSignals?: boolean;
  /** Where the worker logs, and the loops unless theirs is set; the console by default. */
  readonly logger?: LoopLogger;
  /** Called once the health server listens, with its port. */
  readonly onListening?: (address: { host: string; port: number }) => void;
  /** Aborting it stops the worker, as a signal does. */
  readonly signal?: AbortSignal;
}

/**
 * One loop as the worker sees it, served by `/stats`.
 *
 * @example
 * ```ts
 * const report: LoopReport = { name: "orders", state: "running", restarts: 0, ready: true, stats };
 * ```
 */
export interface LoopReport {
  /** The loop's name (its export name in a consumers module). */
  readonly name: string;
  /** Where it is: a loop's state, or `restarting` between two runs. */
  readonly state: string;
  /** Restarts since its last stable run. */
  readonly restarts: number;
  /** Joined and assigned. */
  readonly ready: boolean;
  /** Why it is stuck, when it is. */
  readonly stuck?: string;
  /** Its counters. */
  readonly stats: LoopStats;
}
