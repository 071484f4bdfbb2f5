/**
 * Which Connect answers ConnectClient retries, with a fetch that answers as a
 * worker does while its group rebalances: 409, or 500 "a rebalance is
 * expected" (met in CI while tests of three runtimes published at once).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectClient } from "../../src/connect/client.ts";
import { ConnectError } from "../../src/errors.ts";

function answering(answers: [number, unknown][]): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  const fake = (() => {
    const [status, body] = answers[Math.min(calls++, answers.length - 1)];
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as typeof fetch;
  return { fetch: fake, calls: () => calls };
}

function clientOf(worker: { fetch: typeof fetch }, retries: number): ConnectClient {
  return new ConnectClient({
    url: "http://connect.invalid:8083",
    fetch: worker.fetch,
    retries,
    retryDelayMs: 1,
  });
}

const rebalancing = {
  error_code: 500,
  message: "Request cannot be completed because a rebalance is expected",
};

test("a 500 saying a rebalance is expected, and a 409, are retried until the answer", async () => {
  const worker = answering([[500, rebalancing], [409, { error_code: 409 }], [200, ["a"]]]);
  const client = clientOf(worker, 3);
  assert.deepEqual(await client.connectors(), ["a"]);
  assert.equal(worker.calls(), 3);
});

test("any other 500 is an answer: one request, a ConnectError with its message", async () => {
  const worker = answering([[500, { error_code: 500, message: "connector class not found" }]]);
  const client = clientOf(worker, 3);
  await assert.rejects(
    client.connectors(),
    (e: unknown) =>
      e instanceof ConnectError && /HTTP 500: connector class not found/.test(e.message),
  );
  assert.equal(worker.calls(), 1);
});

test("a rebalance that outlasts the retries ends in a ConnectError naming it", async () => {
  const worker = answering([[500, rebalancing]]);
  const client = clientOf(worker, 2);
  await assert.rejects(
    client.connectors(),
    (e: unknown) => e instanceof ConnectError && /rebalance is expected/.test(e.message),
  );
  assert.equal(worker.calls(), 3);
});
