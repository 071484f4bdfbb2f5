/** The record both interop tests exchange: a decimal amount and a 64-bit serial. */
import * as v from "valibot";

/** An invoice: `total` is Avro bytes/decimal(12,2), `serial` an exact long. */
export const InvoiceSchema = v.object({
  id: v.string(),
  total: v.pipe(
    v.string(),
    v.metadata({ avro: { logicalType: "decimal", precision: 12, scale: 2 } }),
  ),
  serial: v.bigint(),
});
