/** Waiting out a registry outage: capped retries, one log line per outage, stop and give-up. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DeserializationError, RegistryError } from "../../src/errors.ts";
import { registryDidNotAnswer, RegistryOutage } from "../../src/registry/outage.ts";

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (message: string) => void lines.push(`info ${message}`),
      warn: (message: string) => void lines.push(`warn ${message}`),
    },
  };
}

/** An attempt that fails transiently `failures` times, then answers. */
function flaky(failures: number) {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: () =>
      ++calls <= failures
        ? Promise.reject(new RegistryError("no answer", { status: calls % 2 ? 503 : undefined }))
        : Promise.resolve(`answer after ${calls} calls`),
  };
}

test("only registry faults without an answer are waited for", () => {
  assert.equal(registryDidNotAnswer(new RegistryError("down")), true);
  assert.equal(registryDidNotAnswer(new RegistryError("busy", { status: 429 })), true);
  const gone = new RegistryError("gone", { status: 404, errorCode: 40403 });
  assert.equal(registryDidNotAnswer(gone), false);
  // A 404 without a Confluent code: no registry API at that URL, waited out like an outage.
  assert.equal(registryDidNotAnswer(new RegistryError("no API here", { status: 404 })), true);
  assert.equal(registryDidNotAnswer(new DeserializationError("bad magic byte")), false);
  assert.equal(registryDidNotAnswer(new Error("other")), false);
});

test("messages wait until the registry answers; the outage is logged once for all of them", async () => {
  const { lines, log } = recorder();
  const outage = new RegistryOutage(log, { topic: "t" });
  const events: string[] = [];
  const first = flaky(3);
  const second = flaky(2);
  const results = await Promise.all([first, second].map((f, i) =>
    outage.retry(f.attempt, {
      onWait: () => events.push(`wait ${i}`),
      onDone: () => events.push(`done ${i}`),
    })
  ));
  assert.deepEqual(results, [{ value: "answer after 4 calls" }, { value: "answer after 3 calls" }]);
  assert.deepEqual(events.sort(), ["done 0", "done 1", "wait 0", "wait 1"]);
  assert.equal(outage.waiting, 0);
  assert.deepEqual(lines, [
    "warn Schema Registry did not answer; waiting for it (no message is dead-lettered)",
    "info Schema Registry answers again",
  ]);
  // A later outage is a new one, logged again.
  await outage.retry(flaky(1).attempt);
  assert.equal(lines.length, 4);
});

test("an answer that is not an outage is thrown at once, without waiting", async () => {
  const { lines, log } = recorder();
  const outage = new RegistryOutage(log);
  const unknown = new DeserializationError("unknown schema id 9");
  await assert.rejects(outage.retry(() => Promise.reject(unknown)), (e) => e === unknown);
  assert.deepEqual(lines, []);
});

test("a stop while waiting resolves undefined; maxWaitMs throws the registry's error", async () => {
  const outage = new RegistryOutage(recorder().log);
  const stop = new AbortController();
  const never = () => Promise.reject(new RegistryError("down"));
  const waiting = outage.retry(never, { signal: stop.signal });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(outage.waiting, 1);
  stop.abort();
  assert.equal(await waiting, undefined);
  assert.equal(outage.waiting, 0);
  const started = Date.now();
  await assert.rejects(
    outage.retry(never, { maxWaitMs: 1_000 }),
    (e) => e instanceof RegistryError && e.transient,
  );
  assert.ok(Date.now() - started >= 1_000, "it waited maxWaitMs first");
});
