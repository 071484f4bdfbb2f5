/**
 * `runWorker`: an app's consumer loops in one process, in parallel, under one
 * signal handler, with crashed loops restarted and health endpoints served.
 *
 * @module
 */
import { zeroStats } from "../loop/stats.ts";
import { ConfigError, WorkerError } from "../errors.ts";
import { consoleLogger } from "../loop/logger.ts";
import { onTerminate } from "../loop/signals.ts";
import { type HealthServer, serveHealth } from "./health_server.ts";
import type { LoopEntry, LoopReport, WorkerLoop, WorkerOptions } from "./types.ts";

interface Supervised {
  readonly name: string;
  readonly entry: LoopEntry;
  current?: WorkerLoop;
  restarts: number;
  restarting: boolean;
}

/** Duck-typed, so loops made by another copy of the library are accepted too. */
export function isWorkerLoop(value: unknown): value is WorkerLoop {
  const loop = value as WorkerLoop;
  return typeof value === "object" && value !== null && typeof loop.run === "function" &&
    typeof loop.stop === "function" && typeof loop.withOptions === "function" &&
    typeof loop.health === "object" && typeof loop.stats === "object";
}

function selected(
  loops: Readonly<Record<string, LoopEntry>> | readonly WorkerLoop[],
  only: readonly string[] | undefined,
): Supervised[] {
  const named: [string, LoopEntry][] = Array.isArray(loops)
    ? loops.map((loop, i) => [`loop-${i + 1}`, loop])
    : Object.entries(loops);
  const unknown = (only ?? []).filter((name) => !named.some(([n]) => n === name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `no loop named ${unknown.join(", ")}: the loops are ${named.map(([n]) => n).join(", ")}`,
    );
  }
  const chosen = named.filter(([name]) => !only || only.includes(name));
  if (chosen.length === 0) throw new ConfigError("runWorker was given no loop to run");
  return chosen.map(([name, entry]) => ({ name, entry, restarts: 0, restarting: false }));
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs every loop in parallel until SIGTERM/SIGINT (or `options.signal`),
 * then stops them all gracefully and resolves once each has committed and
 * closed. A loop whose `run()` rejects (a crash, such as a lost connection;
 * message failures never do) is restarted with a doubling, capped delay; past
 * `maxRestarts` (at once for a `ConfigError`) the worker stops the others and rejects with a `WorkerError`
 * naming the loop and its error. `health` serves `/livez` (503 naming a loop
 * that stopped polling or whose handler outlasts `max.poll.interval.ms`),
 * `/readyz` (200 once every loop joined its group and got an assignment,
 * possibly empty; 503 while starting, restarting or stopping) and `/stats`.
 *
 * @example
 * ```ts
 * import { ConsumerLoop, runWorker } from "@flowodm/flowodm";
 * await runWorker({
 *   orders: new ConsumerLoop({ model: Order, handler: handleOrder }),
 *   payments: () => new ConsumerLoop({ model: Payment, handler: handlePayment }),
 * }, { health: { port: 8080 } });
 * ```
 */
export async function runWorker(
  loops: Readonly<Record<string, LoopEntry>> | readonly WorkerLoop[],
  options: WorkerOptions = {},
): Promise<void> {
  const supervised = selected(loops, options.only);
  const log = options.logger ?? consoleLogger;
  const stopping = new AbortController();
  const stopAll = () => {
    if (stopping.signal.aborted) return;
    log.info("worker stopping", { loops: supervised.map((s) => s.name) });
    stopping.abort();
    for (const s of supervised) s.current?.stop();
  };
  const unlisten = options.handleSignals === false ? () => {} : onTerminate(stopAll);
  options.signal?.addEventListener("abort", stopAll, { once: true });
  if (options.signal?.aborted) stopAll();
  let server: HealthServer | undefined;
  try {
    if (options.health) {
      server = await serveHealth(options.health, {
        reports: () => supervised.map(report),
        stopping: () => stopping.signal.aborted,
      });
      options.onListening?.({ host: server.host, port: server.port });
      log.info("health endpoints listening", { url: `http://${server.host}:${server.port}` });
    }
    log.info("worker started", { loops: supervised.map((s) => s.name) });
    const outcomes = await Promise.all(
      supervised.map((s) => supervise(s, options, stopping.signal, log, stopAll)),
    );
    const failure = outcomes.find((outcome) => outcome !== undefined);
    if (failure) throw failure;
    log.info("worker stopped", { loops: supervised.map((s) => s.name) });
  } finally {
    unlisten();
    options.signal?.removeEventListener("abort", stopAll);
    await server?.close();
  }
}

/** Runs one loop, restarting it after crashes; resolves the error that ended it, if any. */
async function supervise(
  s: Supervised,
  options: WorkerOptions,
  stopping: AbortSignal,
  log: typeof consoleLogger,
  stopAll: () => void,
): Promise<Error | undefined> {
  const maxRestarts = options.maxRestarts ?? 5;
  const firstDelay = options.restartDelayMs ?? 1_000;
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  const stableAfter = options.stableAfterMs ?? 60_000;
  while (!stopping.aborted) {
    const started = Date.now();
    let made: unknown;
    try {
      made = typeof s.entry === "function" ? await s.entry() : s.entry;
    } catch (error) {
      made = error;
    }
    if (!isWorkerLoop(made)) {
      const error = made instanceof Error ? made : new ConfigError(
        `loop ${s.name}: its factory returned ${typeof made}, not a ConsumerLoop or AsyncConsumerLoop`,
      );
      log.error("loop cannot be created", { loop: s.name, error: String(error) });
      stopAll();
      return new WorkerError(s.name, s.restarts, error);
    }
    // The worker's one signal handler stops every loop; theirs would race it.
    const loop = made.withOptions({ handleSignals: false });
    s.current = loop;
    s.restarting = false;
    if (stopping.aborted) return undefined;
    try {
      await loop.run();
      return undefined;
    } catch (error) {
      if (Date.now() - started >= stableAfter) s.restarts = 0;
      // A configuration error does not heal with time: restarting would only repeat it.
      if (stopping.aborted || s.restarts >= maxRestarts || error instanceof ConfigError) {
        const failure = new WorkerError(s.name, s.restarts, error);
        log.error("loop gave up", { loop: s.name, error: failure.message });
        stopAll();
        return failure;
      }
      s.restarts++;
      s.restarting = true;
      const delay = Math.min(firstDelay * 2 ** (s.restarts - 1), maxDelay);
      log.warn("loop crashed; restarting", {
        loop: s.name,
        restart: s.restarts,
        of: maxRestarts,
        inMs: delay,
        error: String(error),
      });
      if (!await sleep(delay, stopping)) return undefined;
    }
  }
  return undefined;
}

function report(s: Supervised): LoopReport {
  const loop = s.current;
  const stuck = loop?.health.stuck();
  return {
    name: s.name,
    state: s.restarting ? "restarting" : loop?.health.state ?? "starting",
    restarts: s.restarts,
    ready: !s.restarting && Boolean(loop?.health.ready()),
    ...(stuck ? { stuck } : {}),
    stats: loop ? { ...loop.stats } : zeroStats(),
  };
}
