/**
 * connect({ logger }) receives librdkafka's lines (level, facility, message),
 * once per change of state; connect({ onError }) receives client errors; a
 * fatal producer error closes the producer and fails the next send naming it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kafkaBootstrap, runsOn, uniqueName } from "../support.ts";
import { TransportError } from "../../src/errors.ts";
import {
  ClientLog,
  defaultLogger,
  type LogFields,
  type Logger,
} from "../../src/transport/logging.ts";
import { createTransport } from "../../src/transport/select.ts";

interface Line {
  readonly level: string;
  readonly message: string;
  readonly fields?: LogFields;
}

function recorder(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const keep = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields });
  return {
    lines,
    debug: keep("debug"),
    info: keep("info"),
    warn: keep("warn"),
    error: keep("error"),
  };
}

test("ClientLog: a repeated line is logged once per change of state, levels from syslog", {
  timeout: 60_000,
}, () => {
  const logger = recorder();
  const log = new ClientLog(logger, "flowodm#producer-1");
  for (let i = 0; i < 50; i++) {
    log.librdkafka(
      3,
      "FAIL",
      `Connect to ipv4#127.0.0.1:1 failed: refused (after ${i}ms in state CONNECT)`,
    );
    log.clientError(
      "client error: 1/1 brokers are down [_ALL_BROKERS_DOWN]",
      "_ALL_BROKERS_DOWN",
      false,
    );
  }
  assert.equal(logger.lines.length, 2);
  assert.deepEqual(logger.lines[0].fields, {
    source: "librdkafka",
    client: "flowodm#producer-1",
    facility: "FAIL",
    level: 3,
  });
  assert.equal(logger.lines[0].level, "error");
  assert.equal(logger.lines[1].level, "warn");
  log.librdkafka(4, "FAIL", "Connect to ipv4#127.0.0.1:1 failed: timed out");
  assert.equal(logger.lines.length, 3, "a new state is news");
  log.recovered();
  log.librdkafka(
    3,
    "FAIL",
    "Connect to ipv4#127.0.0.1:1 failed: refused (after 1ms in state CONNECT)",
  );
  assert.equal(logger.lines.length, 4, "after a recovery the same failure is news again");
  assert.equal(logger.lines[2].level, "warn");
  log.librdkafka(7, "BROKER", "debug detail");
  log.librdkafka(6, "CONF", "info detail");
  assert.deepEqual(logger.lines.slice(4).map((l) => l.level), ["debug", "info"]);
  log.clientError("fatal client error: fenced", "PRODUCER_FENCED", true);
  log.clientError("fatal client error: fenced", "PRODUCER_FENCED", true);
  assert.equal(logger.lines.filter((l) => l.message.includes("fenced")).length, 2, "fatal always");
});

test(
  "defaultLogger: one line per event at warn and above, nothing below",
  { timeout: 60_000 },
  () => {
    const printed: string[] = [];
    const { warn, error, info } = console;
    console.warn = (...args: unknown[]) => void printed.push(`W ${args.join(" ")}`);
    console.error = (...args: unknown[]) => void printed.push(`E ${args.join(" ")}`);
    console.info = (...args: unknown[]) => void printed.push(`I ${args.join(" ")}`);
    try {
      const log = new ClientLog(undefined, "flowodm#consumer-2");
      log.librdkafka(6, "CONF", "informational");
      log.librdkafka(3, "FAIL", "Connect failed");
      log.librdkafka(3, "FAIL", "Connect failed");
      defaultLogger.info("started");
      defaultLogger.warn("broker down", { client: "x" });
    } finally {
      Object.assign(console, { warn, error, info });
    }
    assert.deepEqual(printed, [
      "E [flowodm] Connect failed (client=flowodm#consumer-2 facility=FAIL level=3)",
      "W [flowodm] broker down (client=x)",
    ]);
    assert.ok(!printed.some((line) => line.includes("%3|")), "no raw librdkafka lines");
  },
);

if (runsOn(["deno", "node", "bun"])) {
  test("logger and onError hear librdkafka's lines and client errors of a wrong address", {
    timeout: 60_000,
  }, async () => {
    const logger = recorder();
    const errors: TransportError[] = [];
    const transport = await createTransport({
      bootstrapServers: "127.0.0.1:1",
      connectTimeoutMs: 3_000,
      logger,
      onError: (error) => errors.push(error),
    });
    try {
      await assert.rejects(transport.producer(), /no Kafka broker answered at 127\.0\.0\.1:1/);
    } finally {
      await transport.close();
    }
    const fromLibrdkafka = logger.lines.filter((line) => line.fields?.source === "librdkafka");
    assert.ok(fromLibrdkafka.length > 0, "librdkafka's lines reach the logger");
    assert.ok(errors.length > 0, "onError hears the client errors");
    assert.ok(errors.every((error) => error instanceof TransportError));
    assert.ok(
      errors.some((error) => /_TRANSPORT|_ALL_BROKERS_DOWN|_TIMED_OUT/.test(error.codeName ?? "")),
      errors.map((e) => e.message).join("\n"),
    );
    // Retries are not logged one by one: 3 s of reconnects stay a handful of lines.
    assert.ok(fromLibrdkafka.length <= 10, JSON.stringify(fromLibrdkafka, null, 1));
    assert.ok(
      fromLibrdkafka.every((line) =>
        typeof line.fields?.facility === "string" || line.fields?.code
      ),
    );
  });
}

if (runsOn(["deno", "node", "bun"])) {
  test("a fatal producer error reaches onError, closes the producer and fails the next send", {
    timeout: 60_000,
  }, async () => {
    const errors: TransportError[] = [];
    const transport = await createTransport({
      bootstrapServers: kafkaBootstrap(),
      logger: recorder(),
      onError: (error) => errors.push(error),
    });
    try {
      const admin = await transport.admin();
      const topic = uniqueName("fatal");
      await admin.ensureTopic({ topic });
      await admin.close();
      const producer = await transport.producer();
      const message = { topic, key: null, value: new TextEncoder().encode("x") };
      const [first] = await producer.send([message]);
      assert.ok(first.ok);
      const PRODUCER_FENCED = 90;
      await (producer as unknown as {
        injectFatalError(code: number, reason: string): Promise<void>;
      }).injectFatalError(PRODUCER_FENCED, "fenced by a newer instance (test)");
      const sent = await producer.send([message]).then(
        (results) => results[0].ok ? assert.fail("sent after a fatal error") : results[0].error,
        (error) => error,
      );
      assert.ok(sent instanceof TransportError, String(sent));
      assert.match(sent.message, /the producer was closed after a fatal error/);
      assert.match(sent.message, /fenced/);
      assert.ok(errors.some((error) => /fenced/.test(error.message)), "onError heard it");
    } finally {
      await transport.close();
    }
  });
}
