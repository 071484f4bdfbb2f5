/** What the conformance and invariant suites share: transport options, topics, reads. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runsOn, type Runtime, uniqueName } from "../support.ts";
import type { TransportError } from "../../src/errors.ts";
import type {
  IncomingMessage,
  KafkaProperties,
  OutgoingMessage,
  Transport,
  TransportConsumer,
} from "../../src/transport/types.ts";

/** What a conformance case may ask of the transport it gets. */
export interface TransportOptions {
  /** The user's librdkafka properties. */
  readonly properties?: KafkaProperties;
  /** The transport's `onError` hook. */
  readonly onError?: (error: TransportError) => void;
}

/** Makes a fresh transport of the kind under test. */
export type MakeTransport = (options?: TransportOptions) => Promise<Transport>;

/**
 * A registrar of cases titled `<prefix>: <title>` on `runtimes`, each given a
 * fresh transport that is closed after it, whatever the outcome.
 */
export function transportCases(
  prefix: string,
  makeTransport: MakeTransport,
  runtimes: readonly Runtime[],
  timeoutMs: number,
): (title: string, body: (transport: Transport) => Promise<void>) => void {
  return (
    title,
    body,
  ) => (runsOn(runtimes)
    ? test(`${prefix}: ${title}`, { timeout: timeoutMs }, async () => {
      const transport = await makeTransport();
      try {
        await body(transport);
      } finally {
        await transport.close();
      }
    })
    : undefined);
}

const text = new TextEncoder();
export const bytes = (s: string) => text.encode(s);
export const str = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

// Small group timings so rebalances in the suite take a second, not ten.
export const fastGroup = { "session.timeout.ms": 6000, "heartbeat.interval.ms": 500 };

export async function freshTopic(transport: Transport, partitions: number): Promise<string> {
  const topic = uniqueName("conf");
  const admin = await transport.admin();
  assert.equal(await admin.ensureTopic({ topic, partitions }), true);
  assert.equal(await admin.ensureTopic({ topic, partitions }), false);
  assert.equal(await admin.partitionCount(topic), partitions);
  await admin.close();
  return topic;
}

export async function sendAll(transport: Transport, messages: OutgoingMessage[]) {
  const producer = await transport.producer();
  const results = await producer.send(messages);
  await producer.close();
  for (const r of results) assert.ok(r.ok, r.ok ? "" : String(r.error));
  return results.map((r) => (r.ok ? r.report : assert.fail("undelivered")));
}

export async function consumeN(
  consumer: TransportConsumer,
  n: number,
  deadlineMs = 20_000,
): Promise<IncomingMessage[]> {
  const out: IncomingMessage[] = [];
  const deadline = Date.now() + deadlineMs;
  while (out.length < n && Date.now() < deadline) {
    out.push(...await consumer.poll(n - out.length, 200));
  }
  return out;
}

export async function waitFor(check: () => boolean, what: string, poll?: () => Promise<unknown>) {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    if (poll) await poll();
    else await new Promise((r) => setTimeout(r, 50));
  }
}
