/** Why avsc refused to write a value, in words a model's user can act on. */
import type avro from "avsc";

/** avsc's reason, with the fields at fault and what to do about longs. */
export function explainWriteFailure(type: avro.Type, value: unknown, cause: Error): string {
  const fields: string[] = [];
  try {
    type.isValid(value, { errorHook: (path) => fields.push(path.join(".") || "(root)") });
  } catch { /* the reason alone then */ }
  const where = fields.length > 0 ? ` (at ${fields.join(", ")})` : "";
  const longs = /invalid "long"/.test(cause.message)
    ? "; a v.number() long holds integers up to ±(2^53 - 1) exactly: declare the field v.bigint() for all 64 bits"
    : "";
  return `${cause.message}${where}${longs}`;
}
