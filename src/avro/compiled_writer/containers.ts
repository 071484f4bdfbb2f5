/**
 * Avro `array` and `map`: one block of every item (or entry) then the zero
 * count that ends the value, as avsc writes them; an empty one is the zero
 * alone.
 */
import type { Write } from "./writer_types.ts";
import { invalid } from "./writer_types.ts";
import { writeVarint } from "./varint.ts";
import { writeString } from "./strings.ts";

/** Avro `array` of `item`. */
export function arrayWriter(item: Write): Write {
  return (t, p, v) => {
    if (!Array.isArray(v)) invalid(v, "array");
    const n = v.length;
    if (n !== 0) {
      p = writeVarint(t, p, n);
      for (let i = 0; i < n; i++) p = item(t, p, v[i]);
    }
    t[p] = 0;
    return p + 1;
  };
}

/** Avro `map` of `value`: a plain object's own enumerable keys, as avsc takes them. */
export function mapWriter(value: Write): Write {
  return (t, p, v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) invalid(v, "map");
    const keys = Object.keys(v);
    const n = keys.length;
    if (n !== 0) {
      p = writeVarint(t, p, n);
      for (let i = 0; i < n; i++) {
        const key = keys[i];
        p = writeString(t, p, key);
        p = value(t, p, (v as Record<string, unknown>)[key]);
      }
    }
    t[p] = 0;
    return p + 1;
  };
}
