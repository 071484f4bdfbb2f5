/**
 * What a Debezium record means for a store: a row to upsert, a key to
 * delete, or nothing. Reads both shapes Debezium writes: the full change
 * event envelope (`before`, `after`, `op`, `source`) and records flattened
 * by the ExtractNewRecordState transform (the row plus `__deleted`, `__op`,
 * `__table`, ... and tombstones).
 *
 * @module
 */

/** The key field Debezium's topic-routing transform (ByLogicalTableRouter) adds. */
export const tableIdentifierField = "__dbz__physicalTableIdentifier";

/** What one Debezium record asks of the store. */
export interface DebeziumChange {
  /** `upsert` a row, `delete` the key, `truncate` the table, or `skip` (heartbeats, messages). */
  readonly kind: "upsert" | "delete" | "truncate" | "skip";
  /** The row's columns without Debezium's metadata (for upserts; the old row for deletes when known). */
  readonly row?: Record<string, unknown>;
  /** Debezium's operation: c (insert), u (update), d (delete), r (snapshot read), t (truncate). */
  readonly op?: string;
  /** `source.schema` / `__schema`, when the record names it. */
  readonly schema?: string;
  /** `source.table` / `__table`, when the record names it. */
  readonly table?: string;
}

type Row = Record<string, unknown>;

const isObject = (value: unknown): value is Row =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** True for a full change event envelope rather than a flattened row. */
export function isEnvelope(value: unknown): boolean {
  return isObject(value) && typeof value.op === "string" && isObject(value.source) &&
    ("after" in value || "before" in value || "message" in value);
}

/** Reads one record's value (null for a tombstone). */
export function debeziumChange(value: unknown): DebeziumChange {
  if (value === null || value === undefined) return { kind: "delete" };
  if (!isObject(value)) return { kind: "skip" };
  if (isEnvelope(value)) {
    const source = isObject(value.source) ? value.source : {};
    const where = {
      op: value.op as string,
      schema: typeof source.schema === "string" ? source.schema : undefined,
      table: typeof source.table === "string" ? source.table : undefined,
    };
    const before = isObject(value.before) ? value.before : undefined;
    const after = isObject(value.after) ? value.after : undefined;
    switch (value.op) {
      case "c":
      case "u":
      case "r":
        return after ? { kind: "upsert", row: after, ...where } : { kind: "skip", ...where };
      case "d":
        return { kind: "delete", row: before, ...where };
      case "t":
        return { kind: "truncate", ...where };
      default:
        return { kind: "skip", ...where }; // "m": logical decoding messages
    }
  }
  const row: Row = {};
  for (const [name, column] of Object.entries(value)) {
    if (!name.startsWith("__")) row[name] = column;
  }
  const op = typeof value.__op === "string" ? value.__op : undefined;
  const where = {
    op,
    schema: typeof value.__schema === "string" ? value.__schema : undefined,
    table: typeof value.__table === "string" ? value.__table : undefined,
  };
  // ExtractNewRecordState's rewrite mode marks deletes with __deleted "true" (a string).
  const deleted = value.__deleted === true || value.__deleted === "true" || op === "d";
  if (deleted) return { kind: "delete", row, ...where };
  if (op === "t") return { kind: "truncate", ...where };
  return { kind: "upsert", row, ...where };
}

/** The key without the fields Debezium's routing transforms add. */
export function debeziumKey(key: unknown): unknown {
  if (!isObject(key)) return key;
  const plain: Row = {};
  for (const [name, value] of Object.entries(key)) {
    if (!name.startsWith("__dbz__")) plain[name] = value;
  }
  return plain;
}

/**
 * The names a record's table may be routed by, most specific first: the
 * routing transform's key field (the original topic), the topic read, then
 * `schema.table` and `table` from the record.
 */
export function tableCandidates(
  key: unknown,
  topic: string,
  change: DebeziumChange | undefined,
): string[] {
  const names: string[] = [];
  if (isObject(key) && typeof key[tableIdentifierField] === "string") {
    names.push(key[tableIdentifierField] as string);
  }
  names.push(topic);
  if (change?.schema && change.table) names.push(`${change.schema}.${change.table}`);
  if (change?.table) names.push(change.table);
  return names;
}
