/** One rule for which setting wins, shared by every transport (unit tests of the merge). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../src/errors.ts";
import {
  consumerProperties,
  producerProperties,
  startProperties,
} from "../../src/transport/properties.ts";
import {
  BatchSettings,
  HighThroughputSettings,
  LongRunningSettings,
  RealTimeSettings,
  ReliableSettings,
} from "../../src/profiles/profiles.ts";

test("producer: idempotent by default; library defaults < profile < user < explicit", () => {
  const defaults = producerProperties({});
  assert.equal(defaults["enable.idempotence"], true);
  assert.equal(defaults.partitioner, "murmur2_random");
  const merged = producerProperties({
    profile: { "linger.ms": 5, "compression.type": "lz4", partitioner: "consistent" },
    user: { "linger.ms": 50 },
    explicit: { "bootstrap.servers": "b:9092" },
  });
  assert.equal(merged["linger.ms"], 50, "user beats profile");
  assert.equal(merged["compression.type"], "lz4", "profile beats defaults");
  assert.equal(merged.partitioner, "consistent", "profile beats defaults");
  assert.equal(merged["bootstrap.servers"], "b:9092");
  assert.equal(merged["enable.idempotence"], true);
});

test("producer: acks other than all turns the idempotence default off; explicit choices stay", () => {
  assert.equal(producerProperties({ user: { acks: 1 } })["enable.idempotence"], false);
  assert.equal(producerProperties({ user: { acks: "all" } })["enable.idempotence"], true);
  assert.equal(producerProperties({ user: { acks: -1 } })["enable.idempotence"], true);
  assert.equal(
    producerProperties({ user: { "request.required.acks": "0" } })["enable.idempotence"],
    false,
  );
  // A user who asks for both gets both, and librdkafka's own refusal.
  assert.equal(
    producerProperties({ user: { acks: 1, "enable.idempotence": true } })["enable.idempotence"],
    true,
  );
  assert.equal(
    producerProperties({ user: { "enable.idempotence": false } })["enable.idempotence"],
    false,
  );
});

test("producer: an idempotent producer has one request in flight per broker unless asked", () => {
  // More would let librdkafka report as delivered a failed batch that a later one "implicitly
  // acked", on a partition whose broker had no state yet for the producer (issue #20).
  assert.equal(producerProperties({})["max.in.flight.requests.per.connection"], 1);
  assert.equal(
    producerProperties({ profile: ReliableSettings().producer })[
      "max.in.flight.requests.per.connection"
    ],
    1,
  );
  const asked = producerProperties({ user: { "max.in.flight.requests.per.connection": 5 } });
  assert.equal(asked["max.in.flight.requests.per.connection"], 5);
  const alias = producerProperties({ user: { "max.in.flight": 3 } });
  assert.equal(alias["max.in.flight.requests.per.connection"], undefined);
  assert.equal(alias["max.in.flight"], 3);
  // Without idempotence there is no implicit ack to guard against.
  const fast = producerProperties({ profile: HighThroughputSettings().producer });
  assert.equal(fast["max.in.flight.requests.per.connection"], undefined);
});

test("profiles: every profile's producer is idempotent except HighThroughputSettings", () => {
  for (const profile of [LongRunningSettings, BatchSettings, RealTimeSettings, ReliableSettings]) {
    const resolved = producerProperties({ profile: profile().producer });
    assert.equal(resolved["enable.idempotence"], true, profile.name);
  }
  const fast = producerProperties({ profile: HighThroughputSettings().producer });
  assert.equal(fast["enable.idempotence"], false);
  assert.equal(fast.acks, 1);
  // ...unless the user asks for acks=all on top of it.
  const safer = producerProperties({
    profile: HighThroughputSettings({ producer: { acks: "all", "enable.idempotence": true } })
      .producer,
  });
  assert.equal(safer["enable.idempotence"], true);
});

test("consumer: defaults < profile < user < explicit; commits stay manual", () => {
  assert.deepEqual(consumerProperties({}), {
    "auto.offset.reset": "latest",
    "fetch.queue.backoff.ms": 10,
    "enable.auto.commit": false,
    "enable.auto.offset.store": false,
  });
  const merged = consumerProperties({
    profile: { "auto.offset.reset": "earliest", "fetch.wait.max.ms": 10 },
    user: { "fetch.wait.max.ms": 100, "enable.auto.commit": "false" },
    explicit: { "group.id": "g" },
  });
  assert.equal(merged["auto.offset.reset"], "earliest", "profile beats defaults");
  assert.equal(merged["fetch.wait.max.ms"], 100, "user beats profile");
  assert.equal(merged["group.id"], "g");
  assert.equal(merged["enable.auto.commit"], false, "an agreeing value is accepted");
  const started = consumerProperties({
    user: { "auto.offset.reset": "earliest" },
    explicit: startProperties(false),
  });
  assert.equal(started["auto.offset.reset"], "latest", "fromBeginning beats the user");
  assert.deepEqual(startProperties(undefined), {});
});

test("consumer: a profile or user value contradicting manual commits is a ConfigError naming it", () => {
  for (const name of ["enable.auto.commit", "enable.auto.offset.store"]) {
    for (const layer of ["profile", "user"] as const) {
      assert.throws(
        () => consumerProperties({ [layer]: { [name]: true } }),
        (error: unknown) =>
          error instanceof ConfigError && error.message.includes(`"${name}"`) &&
          error.message.includes(`the ${layer} property`),
      );
    }
  }
  assert.throws(
    () => consumerProperties({ profile: { "enable.auto.commit": "TRUE" } }),
    ConfigError,
  );
});
