/**
 * Decoding validates every value, whoever wrote it: values read with the
 * model's own schema (the compiled reader, validated without copying) and
 * values written with an evolved writer schema (avsc's resolution, validated
 * by Valibot) are both refused when they break what Avro cannot express
 * (pipes, refinements), and come back as fresh plain objects when valid.
 * Against the real registry.
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "node:test";
import { registryUrl, uniqueName } from "../support.ts";
import { Connection } from "../../src/config/connection.ts";
import { DeserializationError, ValidationError } from "../../src/errors.ts";
import { defineModel } from "../../src/model/define_model.ts";
import { modelFromAvro } from "../../src/model/model_from_avro.ts";
import { SchemaRegistryClient } from "../../src/registry/client.ts";

const Line = v.object({
  sku: v.pipe(v.string(), v.regex(/^SKU-\d+$/)),
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
const OrderSchema = v.object({
  id: v.string(),
  email: v.pipe(v.string(), v.email()),
  status: v.picklist(["placed", "paid"]),
  lines: v.array(Line),
  note: v.optional(v.pipe(v.string(), v.maxLength(5))),
});

function models() {
  const topic = uniqueName("decode-validation");
  const connection = new Connection({ schemaRegistryUrl: registryUrl() });
  const Order = defineModel("Order", OrderSchema, { topic, namespace: "shop", connection });
  // A peer that writes the same Avro schema but knows nothing of the pipes.
  const Peer = modelFromAvro(Order.avroSchema as Record<string, unknown>, { topic, connection });
  return { topic, Order, Peer };
}

const good = {
  id: "o-1",
  email: "buyer@example.com",
  status: "paid" as const,
  lines: [{ sku: "SKU-1", quantity: 2 }],
};

async function refused(decode: Promise<unknown>, path: string): Promise<void> {
  await assert.rejects(decode, (error: unknown) => {
    assert.ok(error instanceof DeserializationError, String(error));
    const cause = error.cause;
    assert.ok(cause instanceof ValidationError, `cause: ${String(cause)}`);
    assert.ok(
      cause.issues.some((issue) => issue.path === path),
      `an issue at ${path}: ${JSON.stringify(cause.issues)}`,
    );
    return true;
  });
}

test(
  "values written with the model's own schema are validated: pipes Avro cannot hold are enforced",
  {
    timeout: 60_000,
  },
  async () => {
    const { Order, Peer } = models();
    assert.equal(await Peer.registerSchema(), await Order.registerSchema(), "one schema, one id");
    const bytes = await Peer.encode(good);
    const first = await Order.decode(bytes);
    const second = await Order.decode(bytes);
    assert.deepStrictEqual(first, good);
    assert.notEqual(first, second, "each decode returns its own value");
    assert.notEqual(first.lines, second.lines);
    assert.equal(Object.getPrototypeOf(first), Object.prototype);
    assert.equal(Object.getPrototypeOf(first.lines[0]), Object.prototype);

    await refused(Order.decode(await Peer.encode({ ...good, email: "not an email" })), "email");
    await refused(
      Order.decode(await Peer.encode({ ...good, lines: [{ sku: "SKU-1", quantity: 0 }] })),
      "lines.0.quantity",
    );
    await refused(
      Order.decode(await Peer.encode({ ...good, lines: [{ sku: "sku-x", quantity: 1 }] })),
      "lines.0.sku",
    );
    await refused(Order.decode(await Peer.encode({ ...good, note: "far too long" })), "note");
    assert.deepStrictEqual(await Order.decode(await Peer.encode({ ...good, note: "ok" })), {
      ...good,
      note: "ok",
    });
  },
);

test("values written with an evolved writer schema are validated after resolution", {
  timeout: 60_000,
}, async () => {
  const { topic, Order } = models();
  await Order.registerSchema();
  await new SchemaRegistryClient({ url: registryUrl() }).setCompatibility(
    "BACKWARD",
    `${topic}-value`,
  );
  const own = Order.avroSchema as { fields: Record<string, unknown>[] };
  // The writer's next version: a new field with a default, and the note gone.
  const evolved = {
    ...own,
    fields: [
      ...own.fields.filter((field) => field.name !== "note"),
      { name: "channel", type: "string", default: "web" },
    ],
  };
  const Writer = modelFromAvro(evolved, {
    topic,
    connection: new Connection({ schemaRegistryUrl: registryUrl() }),
  });
  const writerId = await Writer.registerSchema();
  assert.notEqual(writerId, await Order.registerSchema(), "the writer's schema is another version");

  const valid = await Order.decode(await Writer.encode({ ...good, channel: "shop" }));
  assert.deepStrictEqual(valid, good);
  await refused(
    Order.decode(await Writer.encode({ ...good, channel: "shop", email: "nope" })),
    "email",
  );
  await refused(
    Order.decode(
      await Writer.encode({ ...good, channel: "shop", lines: [{ sku: "SKU-2", quantity: -3 }] }),
    ),
    "lines.0.quantity",
  );
});
