/**
 * How `flowodm tail` shows one record: the value decoded with its writer's
 * schema (looked up by the id in its Confluent framing, once per id), the
 * key decoded the same way when it is framed and as UTF-8 text otherwise, the
 * headers as text. A record that cannot be decoded is shown as such, with
 * the reason and its first bytes; it never stops the tail.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type avro from "avsc";
import { compileAvroWriter } from "../avro/logical_types.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { unframe } from "../serde/wire_format.ts";
import type { IncomingMessage } from "../transport/types.ts";

/** What tail prints for one record (its `--json` line). */
export interface RecordView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** ISO 8601 UTC. */
  readonly timestamp: string;
  readonly key: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** The writer's schema id; null for a tombstone or a value not in the wire format. */
  readonly schemaId: number | null;
  /** The decoded value; null for a tombstone or an undecodable value. */
  readonly value: unknown;
  /** Why the value could not be decoded, when it could not. */
  readonly error?: string;
  /** Present on a tombstone (a key with no value). */
  readonly tombstone?: true;
}

const text = new TextDecoder();
const strictText = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON-friendly form of a decoded Avro value: longs (read as bigints) as
 * numbers, or as decimal strings past 2^53 so no digit is lost; ISO dates;
 * bytes as base64.
 */
export function plain(value: unknown): unknown {
  if (typeof value === "bigint") {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function preview(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 16)).toString("hex");
  return `${bytes.length} bytes: ${hex}${bytes.length > 16 ? "..." : ""}`;
}

/** Decodes records for display, caching writer schemas by id. */
export class RecordDecoder {
  readonly #registry: SchemaRegistry;
  readonly #types = new Map<number, Promise<avro.Type>>();

  /** A decoder that looks writer schemas up in `registry`. */
  constructor(registry: SchemaRegistry) {
    this.#registry = registry;
  }

  #type(id: number): Promise<avro.Type> {
    let type = this.#types.get(id);
    if (!type) {
      type = this.#registry.schemaById(id).then((schema) => compileAvroWriter(JSON.parse(schema)));
      // A failed lookup (registry down, unknown id) is tried again for the next record.
      type.catch(() => this.#types.delete(id));
      this.#types.set(id, type);
    }
    return type;
  }

  async #decode(bytes: Uint8Array): Promise<{ schemaId: number; value: unknown }> {
    const { schemaId, body } = unframe(bytes);
    const type = await this.#type(schemaId);
    return { schemaId, value: plain(type.fromBuffer(Buffer.from(body))) };
  }

  async #key(bytes: Uint8Array | null): Promise<unknown> {
    if (bytes === null) return null;
    if (bytes.length >= 5 && bytes[0] === 0) {
      try {
        return (await this.#decode(bytes)).value;
      } catch { /* not a framed Avro key after all: show it as text */ }
    }
    try {
      return strictText.decode(bytes);
    } catch {
      return `(${preview(bytes)})`;
    }
  }

  /** The view of one record; never throws for the record's content. */
  async view(message: IncomingMessage): Promise<RecordView> {
    const headers: Record<string, string> = {};
    for (const [name, bytes] of message.headers) headers[name] = text.decode(bytes);
    const base = {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: new Date(message.timestamp).toISOString(),
      key: await this.#key(message.key),
      headers,
    };
    if (message.value === null) return { ...base, schemaId: null, value: null, tombstone: true };
    try {
      return { ...base, ...await this.#decode(message.value) };
    } catch (error) {
      const framed = message.value.length >= 5 && message.value[0] === 0;
      return {
        ...base,
        schemaId: framed
          ? new DataView(message.value.buffer, message.value.byteOffset).getUint32(1)
          : null,
        value: null,
        error: `undecodable: ${(error as Error).message} (${preview(message.value)})`,
      };
    }
  }
}

/** One line of text for a record view. */
export function formatView(view: RecordView): string {
  const head = `${view.topic}[${view.partition}]@${view.offset} ${view.timestamp}`;
  const key = `key=${JSON.stringify(view.key)}`;
  const schema = `schema=${view.schemaId ?? "-"}`;
  const headers = Object.keys(view.headers).length
    ? ` headers=${JSON.stringify(view.headers)}`
    : "";
  const body = view.error ?? (view.tombstone ? "(tombstone)" : JSON.stringify(view.value));
  return `${head} ${key} ${schema}${headers} ${body}`;
}
