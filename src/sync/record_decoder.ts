/**
 * Reads records that no model describes, as Kafka Connect writes them: Avro
 * in the Confluent wire format (read with the writer's schema from the
 * registry), JSON (with or without the JsonConverter's `schema`/`payload`
 * wrapper), or plain text keys.
 *
 * @module
 */
import type avro from "avsc";
import { Buffer } from "node:buffer";
import { compileAvro } from "../avro/logical_types.ts";
import { DeserializationError, type MessageOrigin, RegistryError } from "../errors.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { unframe } from "../serde/wire_format.ts";
// Importing the serde installs the bounded-block and exact-long guards on avsc's types.
import "../serde/avro_serde.ts";

const text = new TextDecoder("utf-8", { fatal: true });

/** Decodes Avro with the writer's schema, JSON, or text; one schema lookup per id. */
export class RecordDecoder {
  readonly #registry: () => SchemaRegistry;
  readonly #types = new Map<number, Promise<avro.Type>>();

  /** `registry` is asked for writer schemas on first use of each id. */
  constructor(registry: () => SchemaRegistry) {
    this.#registry = registry;
  }

  /** A value: Avro or JSON; anything else is a DeserializationError (poison). */
  async value(bytes: Uint8Array, origin: MessageOrigin): Promise<unknown> {
    if (bytes.length > 0 && bytes[0] === 0) return await this.#avro(bytes, origin);
    return json(bytes, origin, true);
  }

  /** A key: Avro, JSON, or else its UTF-8 text. */
  async key(bytes: Uint8Array | null, origin: MessageOrigin): Promise<unknown> {
    if (bytes === null) return null;
    if (bytes.length >= 5 && bytes[0] === 0) return await this.#avro(bytes, origin, "key");
    const first = bytes[0];
    if (first === 0x7b || first === 0x5b) return json(bytes, origin, false); // { or [
    try {
      return text.decode(bytes);
    } catch (cause) {
      throw new DeserializationError("the key is neither Avro, JSON nor UTF-8 text", {
        ...origin,
        cause,
      });
    }
  }

  async #avro(bytes: Uint8Array, origin: MessageOrigin, what = "value"): Promise<unknown> {
    const { schemaId, body } = unframe(bytes, origin);
    const type = await this.#type(schemaId, origin);
    try {
      return type.fromBuffer(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } catch (cause) {
      throw new DeserializationError(`invalid Avro ${what}: ${(cause as Error).message}`, {
        ...origin,
        schemaId,
        cause,
      });
    }
  }

  #type(schemaId: number, origin: MessageOrigin): Promise<avro.Type> {
    let type = this.#types.get(schemaId);
    if (!type) {
      type = this.#compile(schemaId, origin);
      this.#types.set(schemaId, type);
      type.catch(() => this.#types.delete(schemaId));
    }
    return type;
  }

  async #compile(schemaId: number, origin: MessageOrigin): Promise<avro.Type> {
    let schema: string;
    try {
      schema = await this.#registry().schemaById(schemaId);
    } catch (error) {
      // An unknown id is the message's fault; an unreachable registry is not (it is retried).
      if (error instanceof RegistryError && error.status === 404) {
        throw new DeserializationError(`unknown schema id ${schemaId}`, {
          ...origin,
          schemaId,
          cause: error,
        });
      }
      throw error;
    }
    try {
      return compileAvro(JSON.parse(schema));
    } catch (cause) {
      throw new DeserializationError(
        `schema ${schemaId} is not an Avro schema: ${(cause as Error).message}`,
        { ...origin, schemaId, cause },
      );
    }
  }
}

function json(bytes: Uint8Array, origin: MessageOrigin, isValue: boolean): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.decode(bytes));
  } catch (cause) {
    throw new DeserializationError(
      `the ${isValue ? "value" : "key"} is neither Avro (Confluent wire format) nor JSON`,
      { ...origin, cause },
    );
  }
  // The JsonConverter with schemas.enable=true wraps each record as { schema, payload }.
  if (
    parsed !== null && typeof parsed === "object" && "payload" in parsed && "schema" in parsed &&
    Object.keys(parsed).length === 2
  ) {
    return (parsed as { payload: unknown }).payload;
  }
  return parsed;
}
