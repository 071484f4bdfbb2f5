/** What a schema's pipe says about its Avro form: actions, titles, descriptions and `avro` metadata. */
import type { AvroMetadata } from "../to_avro_schema.ts";
import type { Piped } from "./schema_types.ts";

type Item = NonNullable<Piped["pipe"]>[number];

/** The pipe's actions (the schema itself, its first item, left out). */
function actions(schema: Piped): readonly Item[] {
  return schema.pipe?.slice(1) ?? [];
}

/** The first action of this type in the schema's pipe. */
export function action(schema: Piped, type: string): Item | undefined {
  return actions(schema).find((item) => item.type === type);
}

/** The `requirement` of a validation action such as `min_value`. */
export function requirement(schema: Piped, type: string): unknown {
  return (action(schema, type) as { requirement?: unknown } | undefined)?.requirement;
}

/** Every `v.metadata({ avro })` of the pipe, merged in order (the last wins). */
export function avroOverrides(schema: Piped): AvroMetadata | undefined {
  let found: AvroMetadata | undefined;
  for (const item of actions(schema)) {
    if (item.type !== "metadata") continue;
    const avro = (item as { metadata?: { avro?: AvroMetadata } }).metadata?.avro;
    if (avro) found = { ...found, ...avro };
  }
  return found;
}

/** The text of a `v.title()` or `v.description()` in the pipe. */
export function describe(schema: Piped, key: "title" | "description"): string | undefined {
  return (action(schema, key) as { [k: string]: unknown } | undefined)?.[key] as
    | string
    | undefined;
}
