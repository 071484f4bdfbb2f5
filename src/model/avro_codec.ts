/**
 * A model's codec for one Avro record (its value, or its Avro key): the
 * model's validation around the serde's wire format. Values are validated
 * here before they are written and after they are read; the serde only
 * writes and reads Avro.
 */
import * as v from "valibot";
import { DeserializationError, type MessageOrigin, ValidationError } from "../errors.ts";
import { AvroSerde, type DecodedBody, type SerdeOptions } from "../serde/avro_serde.ts";
import { avroRecordOf } from "../avro/to_avro_schema.ts";
import type { AvroSchema } from "../avro/to_avro_schema.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import type { ValibotSchema } from "./model.ts";
import { type Check, compileCheck } from "./valibot_check/check.ts";
import { arrayForMapFinder } from "./array_for_map.ts";

/** Validates, writes and reads the values of one schema. */
export class AvroCodec<T> {
  readonly #name: string;
  readonly #schema: v.GenericSchema<unknown, T>;
  readonly #serde: AvroSerde;
  readonly #check?: Check;
  readonly #arrayForMap?: (input: unknown) => string | undefined;

  /** A codec of `schema`'s values under the record name `name`. */
  constructor(name: string, schema: ValibotSchema<unknown, T>, serde: AvroSerde) {
    this.#name = name;
    // A Valibot schema (defineModel checked it), which valibot's own typings call generic.
    this.#schema = schema as unknown as v.GenericSchema<unknown, T>;
    this.#serde = serde;
    this.#check = compileCheck(schema);
    this.#arrayForMap = arrayForMapFinder(schema);
  }

  /** The typed output of `input`, or a ValidationError listing every issue. */
  parse(input: unknown): T {
    const arrayAt = this.#arrayForMap?.(input);
    if (arrayAt !== undefined) {
      throw new ValidationError(this.#name, [{
        path: arrayAt,
        message: "Invalid type: Expected Object but received an array " +
          "(a map takes an object; an array or bytes would be written as a map keyed 0, 1, ...)",
      }]);
    }
    const result = v.safeParse(this.#schema, input);
    if (result.success) return result.output;
    throw new ValidationError(
      this.#name,
      result.issues.map((issue) => ({
        path: issue.path?.map((item) => String(item.key)).join(".") ?? "",
        message: issue.message,
      })),
    );
  }

  /**
   * `input` itself when Valibot would accept it unchanged (checked without
   * copying), else Valibot's output; for values that are written and dropped,
   * never handed back to the caller, which {@link parse}'s copy is for.
   */
  accept(input: unknown): T {
    return this.#check?.(input) ? input as T : this.parse(input);
  }

  /** Every input {@link accept}ed; in a batch, the first invalid one throws naming its index. */
  acceptAll(inputs: readonly unknown[]): T[] {
    return inputs.map((input, index) => {
      try {
        return this.accept(input);
      } catch (error) {
        if (inputs.length < 2 || !(error instanceof ValidationError)) throw error;
        throw new ValidationError(error.model, error.issues, { index, cause: error.cause });
      }
    });
  }

  /** Validates one input and writes it, owning its bytes; as `encodeMany([input])` without the arrays. */
  encode(input: unknown): Promise<Uint8Array> {
    try {
      return this.#serde.encode(this.accept(input));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Validates every input, then writes them all; see {@link AvroSerde.encodeMany}. */
  encodeMany(inputs: readonly unknown[], inPlace = false): Promise<Uint8Array[]> {
    try {
      return this.#serde.encodeMany(this.acceptAll(inputs), inPlace);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Writes values this codec already validated. */
  encodeValid(outputs: readonly T[], inPlace = false): Promise<Uint8Array[]> {
    return this.#serde.encodeMany(outputs, inPlace);
  }

  /** Reads wire-format bytes into a validated value; a refused one is a DeserializationError. */
  decode(bytes: Uint8Array | null, origin?: MessageOrigin): Promise<T> {
    try {
      // Without a wait when the reader is built: most messages, and no promise to await.
      const ready = this.decodeNow(bytes, origin);
      if (ready !== undefined) return Promise.resolve(ready);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#serde.decode(bytes, origin).then((body) => this.#validated(body, origin));
  }

  /** {@link decode} without a wait once the writer's reader is built; else undefined. */
  decodeNow(bytes: Uint8Array | null, origin?: MessageOrigin): T | undefined {
    const ready = this.#serde.decodeReady(bytes, origin);
    return ready && this.#validated(ready, origin);
  }

  #validated({ value, schemaId, plain }: DecodedBody, origin?: MessageOrigin): T {
    try {
      return plain ? this.accept(value) : this.parse(value);
    } catch (cause) {
      throw new DeserializationError(
        `decoded value is not a valid ${this.#name}: ${(cause as Error).message}`,
        { ...origin, schemaId, cause },
      );
    }
  }

  /** The schema id values are written with (registered or looked up once per registry). */
  schemaId(): Promise<number> {
    return this.#serde.schemaId();
  }
}

/** Where a record's schema lives and how its schema id is found. */
export interface RecordCodecOptions extends SerdeOptions {
  /** Avro namespace of the record. */
  readonly namespace?: string;
  /** The registry subject. */
  readonly subject: string;
  /** The registry, resolved on use. */
  readonly registry: () => SchemaRegistry;
}

/** The codec of a Valibot object schema as the Avro record `name`, and that record's schema. */
export function recordCodec<T>(
  name: string,
  schema: ValibotSchema<unknown, T>,
  options: RecordCodecOptions,
): { codec: AvroCodec<T>; avroSchema: AvroSchema } {
  const avro = avroRecordOf(schema, { name, namespace: options.namespace });
  const serde = new AvroSerde({
    name,
    avroSchema: avro.schema,
    compiledSchema: avro.compiled,
    normalizeDecoded: avro.normalizeDecoded,
    subject: options.subject,
    registry: options.registry,
  }, options);
  return { codec: new AvroCodec(name, schema, serde), avroSchema: avro.schema };
}
