/** Models against the stack's real Schema Registry: round trips, subjects, evolution, validation. */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { ConfigError, SerializationError, ValidationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";
import type { SchemaRegistry } from "../../src/registry/types.ts";

const connection = () =>
  new Connection({ bootstrapServers: "127.0.0.1:9092", schemaRegistryUrl: registryUrl() });

const OrderSchema = v.object({
  order_id: v.string(),
  amount: v.number(),
  qty: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  at: v.date(),
  tags: v.array(v.string()),
  note: v.nullish(v.string()),
  blob: v.instance(Uint8Array),
  pay: v.variant("kind", [
    v.pipe(v.object({ kind: v.literal("card"), last4: v.string() }), v.title("Card")),
    v.pipe(v.object({ kind: v.literal("cash") }), v.title("Cash")),
  ]),
});

const order = {
  order_id: "o-1",
  amount: 12.5,
  qty: 3,
  at: new Date(1_700_000_000_123),
  tags: ["a", "b"],
  note: null,
  blob: new Uint8Array([1, 2, 255]),
  pay: { kind: "card" as const, last4: "4242" },
};

test("a model round-trips through the Confluent wire format with a registered schema", {
  timeout: 60_000,
}, async () => {
  const topic = uniqueName("orders");
  const Order = defineModel("OrderEvent", OrderSchema, {
    topic,
    keyField: "order_id",
    namespace: "com.example",
    connection: connection(),
  });
  const bytes = await Order.encode(order);
  assert.equal(bytes[0], 0);
  const id = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
  assert.equal(id, await Order.registerSchema());
  const registered = await new SchemaRegistryClient({ url: registryUrl() }).version(
    `${topic}-value`,
    "latest",
  );
  assert.equal(registered.id, id);
  const decoded = await Order.decode(bytes);
  assert.deepEqual({ ...decoded, blob: new Uint8Array(decoded.blob) }, order);
  assert.deepEqual(await Order.decode(await Order.encode({ ...order, pay: { kind: "cash" } })), {
    ...order,
    blob: decoded.blob,
    pay: { kind: "cash" },
  });
  assert.equal(Order.keyOf(order), "o-1");
  assert.deepEqual(await Order.encodeKey("o-1"), new TextEncoder().encode("o-1"));
});

test(
  "invalid values are refused before any registry call, with every issue",
  { timeout: 60_000 },
  async () => {
    let calls = 0;
    const counting = countingRegistry(() => calls++);
    const Order = defineModel("OrderEvent", OrderSchema, {
      topic: uniqueName("orders"),
      connection: new Connection({ registry: counting }),
    });
    await assert.rejects(
      Order.encode({ ...order, qty: 0, amount: "x" } as never),
      (e: unknown) =>
        e instanceof ValidationError && e.issues.length === 2 &&
        e.issues.some((i) => i.path === "qty") && e.issues.some((i) => i.path === "amount"),
    );
    assert.equal(calls, 0);
    assert.throws(() => Order.parse({}), ValidationError);
  },
);

test("concurrent first encodes make one registry call", { timeout: 60_000 }, async () => {
  let calls = 0;
  const Order = defineModel("OrderEvent", OrderSchema, {
    topic: uniqueName("orders"),
    connection: new Connection({ registry: countingRegistry(() => calls++) }),
  });
  await Promise.all(Array.from({ length: 20 }, () => Order.encode(order)));
  assert.equal(calls, 1);
});

test(
  "subject strategies name the subject as Confluent's serializers do",
  { timeout: 60_000 },
  () => {
    const base = { topic: "orders", namespace: "com.example", connection: connection() };
    const name = (settings: object) =>
      defineModel("OrderEvent", OrderSchema, { ...base, ...settings }).subject;
    assert.equal(name({}), "orders-value");
    assert.equal(name({ subjectStrategy: "record" }), "com.example.OrderEvent");
    assert.equal(name({ subjectStrategy: "topicRecord" }), "orders-com.example.OrderEvent");
    assert.equal(name({ schemaSubject: "custom" }), "custom");
    assert.throws(() => defineModel("X", OrderSchema, {} as never), ConfigError);
  },
);

test(
  "evolution: v1 and v2 read each other's bytes under BACKWARD and FORWARD",
  { timeout: 60_000 },
  async () => {
    for (const level of ["BACKWARD", "FORWARD"] as const) {
      const topic = uniqueName(`evolve-${level}`);
      const registry = new SchemaRegistryClient({ url: registryUrl() });
      const settings = { topic, namespace: "com.example", connection: connection() };
      const V1 = defineModel("Customer", v.object({ id: v.string(), name: v.string() }), settings);
      await V1.registerSchema();
      await registry.setCompatibility(level, `${topic}-value`);
      // v2 adds a field with a default: v2 reads v1 (BACKWARD) and v1 ignores it (FORWARD).
      const V2 = defineModel(
        "Customer",
        v.object({ id: v.string(), name: v.string(), tier: v.optional(v.string(), "basic") }),
        settings,
      );
      const fromV1 = await V1.encode({ id: "c1", name: "Ada" });
      const fromV2 = await V2.encode({ id: "c2", name: "Bob", tier: "gold" });
      assert.deepEqual(await V2.decode(fromV1), { id: "c1", name: "Ada", tier: "basic" }, level);
      assert.deepEqual(await V1.decode(fromV2), { id: "c2", name: "Bob" }, level);
    }
  },
);

test(
  "an incompatible change is refused with the registry's reason",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("incompatible");
    const settings = { topic, connection: connection() };
    await defineModel("Customer", v.object({ id: v.string() }), settings).registerSchema();
    await new SchemaRegistryClient({ url: registryUrl() }).setCompatibility(
      "BACKWARD",
      `${topic}-value`,
    );
    const Broken = defineModel(
      "Customer",
      v.object({ id: v.string(), must: v.number() }),
      settings,
    );
    await assert.rejects(Broken.encode({ id: "x", must: 1 }), /HTTP 409.*must/s);
  },
);

test("autoRegister off: an unregistered schema is a SerializationError saying what to do", {
  timeout: 60_000,
}, async () => {
  const Order = defineModel("OrderEvent", OrderSchema, {
    topic: uniqueName("orders"),
    autoRegister: false,
    connection: connection(),
  });
  await assert.rejects(
    Order.encode(order),
    (e: unknown) => e instanceof SerializationError && /register it/.test(e.message),
  );
});

function countingRegistry(onRegister: () => void): SchemaRegistry {
  const real = new SchemaRegistryClient({ url: registryUrl() });
  return Object.assign(Object.create(real), {
    register: async (subject: string, schema: string) => {
      onRegister();
      await new Promise((resolve) => setTimeout(resolve, 20));
      return real.register(subject, schema);
    },
    schemaById: (id: number) => real.schemaById(id),
  });
}
