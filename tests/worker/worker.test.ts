/** runWorker in-process against the real broker: parallel loops, health endpoints, restarts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn, runtime } from "../support.ts";
import { ConsumerLoop } from "../../src/loop/consumer_loop.ts";
import { AsyncConsumerLoop } from "../../src/loop/async_consumer_loop.ts";
import { TransportError, WorkerError } from "../../src/errors.ts";
import { RealTimeSettings } from "../../src/profiles/profiles.ts";
import { runWorker } from "../../src/worker/run_worker.ts";
import {
  committedTotal,
  type Item,
  jsonModel,
  loopTransport,
  quiet,
  seed,
  until,
} from "../loop/loop_support.ts";

const runtimes = ["node", "deno", "bun"] as const;
/** Ports 29000-29029, ten per runtime: below Linux's ephemeral range (32768-60999), where any
 * outgoing connection (a Kafka client's, a server's) may hold a port a test wants to listen on. */
const basePort = 29000 + { deno: 0, node: 10, bun: 20 }[runtime];
const settings = RealTimeSettings({ consumer: { "auto.offset.reset": "earliest" } });

// deno-lint-ignore no-explicit-any
async function get(port: number, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json() };
}

/** Polls an endpoint until it answers `status`. */
async function until200or503(port: number, path: string, status: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await get(port, path);
    if (reply.status === status) return reply;
    if (Date.now() > deadline) {
      throw new Error(`${path} still answers ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

if (runsOn(runtimes)) {
  test("two loops on two topics both process; /readyz, /livez and /stats answer", {
    timeout: 90_000,
  }, async () => {
    const transport = await loopTransport();
    const one = await seed(transport, "worker-one", 30, 5, 2);
    const two = await seed(transport, "worker-two", 20, 5, 1);
    const seen = { one: new Set<number>(), two: new Set<number>() };
    let startup = () => {};
    const gate = new Promise<void>((resolve) => startup = resolve);
    let finish = () => {};
    const shutdown = new Promise<void>((resolve) => finish = resolve);
    const port = basePort;
    const stop = new AbortController();
    const running = runWorker({
      one: new ConsumerLoop<Item>({
        model: jsonModel(transport, one.topic, one.group),
        handler: (item) => void seen.one.add(item.id),
        settings,
        logger: quiet,
        onStartup: () => gate,
      }),
      two: () =>
        new AsyncConsumerLoop<Item>({
          model: jsonModel(transport, two.topic, two.group),
          handler: (item) => void seen.two.add(item.id),
          settings,
          logger: quiet,
          // Holds the worker in its stopping phase until the test has probed it.
          onShutdown: () => shutdown,
        }),
    }, { health: { port }, logger: quiet, signal: stop.signal, handleSignals: false });
    try {
      await until(() => seen.two.size === 20, 30_000, "loop two to handle its 20");
      const starting = await get(port, "/readyz");
      assert.equal(starting.status, 503, "not ready while loop one is starting");
      assert.deepEqual(starting.body.waiting.map((w: { loop: string }) => w.loop), ["one"]);
      startup();
      await until(() => seen.one.size === 30, 30_000, "loop one to handle its 30");
      await until200or503(port, "/readyz", 200, 30_000);
      const live = await get(port, "/livez");
      assert.equal(live.status, 200);
      const stats = await get(port, "/stats");
      assert.deepEqual(
        stats.body.loops.map((l: { name: string; stats: { processed: number } }) => [
          l.name,
          l.stats.processed,
        ]),
        [["one", 30], ["two", 20]],
      );
      stop.abort();
      const stopping = await get(port, "/readyz");
      assert.equal(stopping.status, 503, "not ready while stopping");
      assert.equal(stopping.body.status, "stopping");
    } finally {
      startup();
      stop.abort();
      finish();
      await running;
    }
    assert.equal(await committedTotal(transport, one.group), 30);
    assert.equal(await committedTotal(transport, two.group), 20);
    await assert.rejects(get(port, "/livez"), "the health server is closed");
    await transport.close();
  });
}

if (runsOn(runtimes)) {
  test("a handler blocked past max.poll.interval.ms turns /livez to 503 naming the loop", {
    timeout: 90_000,
  }, async () => {
    const transport = await loopTransport();
    const { topic, group } = await seed(transport, "worker-stuck", 2, 1, 1);
    let release = () => {};
    const blocked = new Promise<void>((resolve) => release = resolve);
    let started = false;
    const port = basePort + 1;
    const stop = new AbortController();
    const running = runWorker({
      slow: new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: async (item) => {
          if (item.id !== 0) return;
          started = true;
          await blocked;
        },
        // librdkafka's smallest: max.poll.interval.ms may not be below session.timeout.ms.
        settings: RealTimeSettings({
          consumer: {
            "auto.offset.reset": "earliest",
            "max.poll.interval.ms": 6_000,
            "session.timeout.ms": 6_000,
          },
        }),
        logger: quiet,
      }),
    }, { health: { port }, logger: quiet, signal: stop.signal, handleSignals: false });
    try {
      await until(() => started, 30_000, "the handler to start");
      assert.equal((await get(port, "/livez")).status, 200, "live while within the interval");
      const stuck = await until200or503(port, "/livez", 503, 20_000);
      assert.equal(stuck.body.stuck[0].loop, "slow");
      assert.match(stuck.body.stuck[0].reason, /handler has been running for \d+ ms on .*\[0\]@0/);
      release();
      await until200or503(port, "/livez", 200, 10_000);
    } finally {
      release();
      stop.abort();
      await running;
    }
    assert.equal(await committedTotal(transport, group), 2);
    await transport.close();
  });
}

if (runsOn(runtimes)) {
  test("a crashing loop is restarted, then the worker gives up, stops the others and names it", {
    timeout: 90_000,
  }, async () => {
    const transport = await loopTransport();
    const { topic, group } = await seed(transport, "worker-crash", 10, 5, 1);
    const healthy = new Set<number>();
    let attempts = 0;
    let flakyRuns = 0;
    const flaky = await seed(transport, "worker-flaky", 5, 5, 1);
    const flakyModel = jsonModel(transport, flaky.topic, flaky.group);
    const failed = runWorker({
      healthy: new ConsumerLoop<Item>({
        model: jsonModel(transport, topic, group),
        handler: (item) => void healthy.add(item.id),
        settings,
        logger: quiet,
      }),
      // Crashes on its first run only (the connection is lost once), then handles its messages.
      flaky: new ConsumerLoop<Item>({
        model: {
          ...flakyModel,
          connection: {
            transport: () =>
              flakyRuns++ === 0
                ? Promise.reject(new TransportError("connection lost"))
                : Promise.resolve(transport),
          },
        },
        handler: () => {},
        settings,
        logger: quiet,
      }),
      broken: () =>
        new ConsumerLoop<Item>({
          model: {
            ...jsonModel(transport, topic, `${group}-broken`),
            connection: {
              transport: async () => {
                attempts++;
                // Gives the others time to start, so that giving up has something to stop.
                await until(() => healthy.size === 10, 30_000, "the healthy loop");
                throw new TransportError("broker connection refused");
              },
            },
          },
          handler: () => {},
          settings,
          logger: quiet,
        }),
    }, { logger: quiet, maxRestarts: 2, restartDelayMs: 50, handleSignals: false });
    await assert.rejects(failed, (error: unknown) => {
      assert.ok(error instanceof WorkerError);
      assert.equal(error.loop, "broken");
      assert.equal(error.restarts, 2);
      assert.match(error.message, /loop broken .*broker connection refused/);
      return true;
    });
    assert.equal(attempts, 3, "one run and two restarts");
    assert.equal(flakyRuns, 2, "the flaky loop was restarted once");
    assert.equal(await committedTotal(transport, group), 10, "the healthy loop stopped gracefully");
    await transport.close();
  });
}
