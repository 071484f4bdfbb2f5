/**
 * The decode normaliser of a schema on its own (see absent_nulls.ts): what
 * the conversion of a model's schema builds for each schema in it.
 */
import { rootContext } from "./context.ts";
import { convert } from "./convert.ts";
import type { Convertible } from "./schema_types.ts";

/** The in-place normaliser of decoded values of `schema`, or undefined when none is needed. */
export function absentOptionals(schema: Convertible): ((value: unknown) => void) | undefined {
  const context = rootContext(undefined);
  convert(schema, "Normalized", "", context);
  return context.normalizers.get(schema);
}
