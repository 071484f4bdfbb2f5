/** An order schema using every Avro mapping, shared by the Avro <-> Valibot tests. */
import * as v from "valibot";
import { toAvroSchema } from "../../src/avro/to_avro_schema.ts";

const Address = v.pipe(
  v.object({ city: v.string(), zip: v.nullish(v.string()) }),
  v.title("Address"),
);
/** The Valibot side. */
export const Order = v.object({
  id: v.pipe(v.string(), v.uuid()),
  qty: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)),
  total: v.pipe(v.number(), v.integer()),
  price: v.number(),
  paid: v.boolean(),
  blob: v.instance(Uint8Array),
  at: v.date(),
  status: v.picklist(["NEW", "PAID"]),
  hash: v.pipe(
    v.instance(Uint8Array),
    v.metadata({ avro: { type: "fixed", name: "Hash", size: 4 } }),
  ),
  amount: v.pipe(
    v.string(),
    v.metadata({ avro: { logicalType: "decimal", precision: 12, scale: 2 } }),
  ),
  fee: v.pipe(
    v.string(),
    v.metadata({
      avro: {
        type: "fixed",
        name: "Fee",
        size: 5,
        logicalType: "decimal",
        precision: 11,
        scale: 4,
      },
    }),
  ),
  note: v.optional(v.string(), "none"),
  tags: v.array(v.string()),
  attrs: v.record(v.string(), v.number()),
  ship: Address,
  bill: v.nullish(Address),
  pay: v.variant("kind", [
    v.pipe(v.object({ kind: v.literal("card"), last4: v.string() }), v.title("Card")),
    v.pipe(v.object({ kind: v.literal("cash") }), v.title("Cash")),
  ]),
});
/** Its Avro schema, as the registry holds it. */
export const orderAvro = toAvroSchema(Order, { name: "Order", namespace: "shop" });
