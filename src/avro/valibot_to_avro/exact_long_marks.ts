/**
 * `v.bigint()` fields are Avro longs the model holds as exact bigints. The
 * conversion marks them ({@link EXACT_LONG}) for the locally compiled avsc
 * type; the schema registered never carries the mark.
 */
import { EXACT_LONG } from "../exact_long.ts";
import type { AvroSchema } from "../to_avro_schema.ts";

/** The Avro type of a `v.bigint()`: a long marked exact. */
export function exactLong(): AvroSchema {
  return { type: "long", [EXACT_LONG]: true };
}

/** The schema without marks, as registered: a bare marked long is `"long"` again. */
export function withoutExactLongs(schema: AvroSchema): AvroSchema {
  if (typeof schema === "string") return schema;
  if (Array.isArray(schema)) return schema.map(withoutExactLongs);
  const marked = EXACT_LONG in schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === EXACT_LONG) continue;
    copy[key] = key === "default" ? value : unmarkValue(value);
  }
  const keys = Object.keys(copy);
  return marked && keys.length === 1 && copy.type === "long" ? "long" : copy;
}

// Schema attributes hold schemas (type, items, values, fields' types), arrays of them, or plain JSON.
function unmarkValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unmarkValue);
  if (typeof value === "object" && value !== null) return withoutExactLongs(value as AvroSchema);
  return value;
}
