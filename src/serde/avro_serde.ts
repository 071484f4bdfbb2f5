/**
 * Values <-> Confluent wire format for one model's Avro schema: the schema id
 * (registered or looked up once per registry, shared by concurrent first
 * calls), and Avro schema resolution from whatever schema a message was
 * written with. Validation is the model's (values come and leave validated).
 */
import type avro from "avsc";
import avsc from "avsc";
import {
  DeserializationError,
  type MessageOrigin,
  RegistryError,
  SerializationError,
} from "../errors.ts";
import type { AvroSchema } from "../avro/to_avro_schema.ts";
import { compileAvro, compileAvroWriter } from "../avro/logical_types.ts";
import { type ValueAdapter, valueAdapter } from "../avro/value_adapter.ts";
import { type CompiledReader, compileReaderOf } from "../avro/compiled_reader/compile_reader.ts";
import { type Reader, readerOf } from "./readers.ts";
import { installBoundedBlocks } from "../avro/bounded_blocks.ts";
import { installExactNumberLongs } from "../avro/exact_long.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { HEADER_LENGTH, schemaIdOf } from "./wire_format.ts";
import { type BodyWrite, writeFramed } from "./slab_writer.ts";
import { compileWriter } from "../avro/compiled_writer/compile_writer.ts";
import { explainWriteFailure } from "./write_failure.ts";

/** What a serde reads and writes: one model's value, or its key. */
export interface SerdeSubject {
  /** The model name, for messages. */
  readonly name: string;
  /**
   * Puts a decoded value in the model's shape before it is validated (Avro's
   * nulls of `v.optional` fields back to absent keys), in place.
   */
  readonly normalizeDecoded?: (value: unknown) => void;
  /** The Avro schema registered for it. */
  readonly avroSchema: AvroSchema;
  /** The same schema as compiled locally (bigint longs marked exact); `avroSchema` by default. */
  readonly compiledSchema?: AvroSchema;
  /** The registry subject. */
  readonly subject: string;
  /** The registry, resolved on use. */
  readonly registry: () => SchemaRegistry;
}

/** A read message body. */
export interface DecodedBody {
  /** The value, in the model's shape, to be validated. */
  readonly value: unknown;
  /** The writer's schema id. */
  readonly schemaId: number;
  /**
   * True when the value is made of fresh plain objects and arrays only (read
   * by the compiled reader), so it may be handed on as it is once valid; avsc's
   * values are instances of its record classes and are copied by validation.
   */
  readonly plain: boolean;
}

/** How a model finds its schema id when it writes. */
export interface SerdeOptions {
  /** Register the model's schema when the subject lacks it; default true. */
  readonly autoRegister?: boolean;
  /** Write with the subject's latest registered schema instead of the model's. */
  readonly useLatestVersion?: boolean;
  /** Ask the registry to normalise the schema when registering. */
  readonly normalize?: boolean;
}

interface Writer {
  readonly id: number;
  readonly type: avro.Type;
  /** Model values to `type`'s: another schema's unions may be wrapped where the model's are not. */
  readonly adapter: ValueAdapter;
}

/**
 * What a serde learned from one registry. Ids belong to the registry that
 * issued them: after `close()` + `connect()` to another registry, or in
 * another `mock://` scope, id 1 is another schema, so nothing is shared.
 */
interface RegistryState {
  writer?: Promise<Writer>;
  /** The writer once found: values are then written without a wait. */
  ready?: Writer;
  readonly readers: Map<number, Promise<Reader>>;
  /** Readers once built: bodies are then read without a wait. */
  readonly built: Map<number, Reader>;
}

// Hostile block counts and sizes must not hang or exhaust a read or the skip of a dropped field.
installBoundedBlocks(avsc.types);
// avsc flips the sign of longs between -2^53 and -2^52; ours are exact or refused.
installExactNumberLongs(avsc.types);

/** Encodes and decodes one model's values. */
export class AvroSerde {
  readonly #name: string;
  readonly #avroText: string;
  readonly #type: avro.Type;
  readonly #adapter: ValueAdapter;
  // Reads bodies written with the model's own schema; undefined where it leaves a type to avsc.
  readonly #compiled?: CompiledReader;
  /** The model's own type written straight from model values; undefined where avsc writes. */
  readonly #compiledWriter?: BodyWrite;
  readonly #normalize?: (value: unknown) => void;
  readonly #subject: string;
  readonly #registry: () => SchemaRegistry;
  readonly #options: SerdeOptions;
  readonly #byRegistry = new WeakMap<SchemaRegistry, RegistryState>();

  constructor(subject: SerdeSubject, options: SerdeOptions = {}) {
    this.#name = subject.name;
    this.#avroText = JSON.stringify(subject.avroSchema);
    this.#type = compileAvro(subject.compiledSchema ?? subject.avroSchema);
    this.#adapter = valueAdapter(this.#type);
    this.#compiled = compileReaderOf(this.#type);
    this.#compiledWriter = compileWriter(subject.compiledSchema ?? subject.avroSchema, this.#type);
    this.#normalize = subject.normalizeDecoded;
    this.#subject = subject.subject;
    this.#registry = subject.registry;
    this.#options = options;
  }

  /** The id this model writes with; one registry call however many callers wait. */
  schemaId(): Promise<number> {
    return this.#resolveWriter().then((writer) => writer.id);
  }

  #state(registry: SchemaRegistry): RegistryState {
    let state = this.#byRegistry.get(registry);
    if (!state) {
      this.#byRegistry.set(registry, state = { readers: new Map(), built: new Map() });
    }
    return state;
  }

  #resolveWriter(): Promise<Writer> {
    const registry = this.#registry();
    const state = this.#state(registry);
    if (!state.writer) {
      const writer: Promise<Writer> = this.#findWriter(registry).then((found) => {
        if (state.writer === writer) state.ready = found;
        return found;
      }, (error) => {
        // A later call may succeed once the registry answers.
        if (state.writer === writer) state.writer = undefined;
        throw error;
      });
      state.writer = writer;
    }
    return state.writer;
  }

  async #findWriter(registry: SchemaRegistry): Promise<Writer> {
    const subject = this.#subject;
    if (this.#options.useLatestVersion) {
      const latest = await registry.version(subject, "latest");
      const own = latest.schema === this.#avroText;
      const type = own ? this.#type : compileAvroWriter(JSON.parse(latest.schema));
      return { id: latest.id, type, adapter: own ? this.#adapter : valueAdapter(type) };
    }
    if (this.#options.autoRegister ?? true) {
      const id = await registry.register(subject, this.#avroText, {
        normalize: this.#options.normalize,
      });
      return { id, type: this.#type, adapter: this.#adapter };
    }
    const found = await registry.lookup(subject, this.#avroText);
    if (!found) {
      throw new SerializationError(
        `the schema of ${this.#name} is not registered under subject "${subject}"; ` +
          "register it (flowodm register, or Model.registerSchema()) or enable autoRegister",
      );
    }
    return { id: found.id, type: this.#type, adapter: this.#adapter };
  }

  /**
   * Writes validated values in the wire format: one wait for the schema id
   * and none per value. A value that cannot be written throws (naming its
   * index in a batch) and nothing is returned. Each result owns its buffer,
   * unless `inPlace`: views into shared slabs, for the produce path, which
   * hands them to the transport and drops them.
   */
  encodeMany(outputs: readonly unknown[], inPlace = false): Promise<Uint8Array[]> {
    return this.#withWriter((writer) => this.#writeAll(writer, outputs, inPlace));
  }

  /** One value as {@link encodeMany} writes it, owning its bytes. */
  encode(output: unknown): Promise<Uint8Array> {
    return this.#withWriter((writer) => this.#write(writer, output, true));
  }

  // Once the id is known, no promise is awaited: a wait per call cost more than a small write.
  #withWriter<R>(write: (writer: Writer) => R): Promise<R> {
    const ready = this.#state(this.#registry()).ready;
    if (!ready) return this.#resolveWriter().then(write);
    try {
      return Promise.resolve(write(ready));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #writeAll(writer: Writer, outputs: readonly unknown[], inPlace: boolean): Uint8Array[] {
    return outputs.map((output, i) => {
      try {
        return this.#write(writer, output, !inPlace);
      } catch (error) {
        if (outputs.length < 2 || !(error instanceof SerializationError)) throw error;
        throw new SerializationError(`element ${i} of the batch: ${error.message}`, {
          schemaId: error.schemaId,
          cause: error.cause,
        });
      }
    });
  }

  #write(writer: Writer, output: unknown, owned: boolean): Uint8Array {
    if (this.#compiledWriter && writer.type === this.#type) {
      try {
        return writeFramed(this.#compiledWriter, writer.id, output, owned);
      } catch {
        // Refused: avsc below writes what it accepts, and explains what it does not.
      }
    }
    let avroValue: unknown;
    try {
      avroValue = writer.adapter.toAvro ? writer.adapter.toAvro(output) : output;
      const type = writer.type;
      return writeFramed(
        (value, target, start) => type.encode(value, target, start),
        writer.id,
        avroValue,
        owned,
      );
    } catch (cause) {
      throw new SerializationError(
        `${this.#name} could not be written with schema id ${writer.id}: ${
          explainWriteFailure(writer.type, avroValue, cause as Error)
        }`,
        { schemaId: writer.id, cause },
      );
    }
  }

  /**
   * Reads wire-format bytes: resolves the writer's schema onto the model's,
   * for the model to validate. Message faults are DeserializationErrors; a
   * registry that cannot be reached is a RegistryError, since the message
   * itself may be fine.
   */
  decode(bytes: Uint8Array | null, origin?: MessageOrigin): Promise<DecodedBody> {
    try {
      const schemaId = schemaIdOf(bytes, origin);
      const registry = this.#registry();
      const built = this.#state(registry).built.get(schemaId);
      if (built) return Promise.resolve(this.#read(built, bytes!, schemaId, origin));
      return this.#reader(registry, schemaId, origin)
        .then((reader) => this.#read(reader, bytes!, schemaId, origin));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** {@link decode} without a wait once the message's reader is built; else undefined. */
  decodeReady(bytes: Uint8Array | null, origin?: MessageOrigin): DecodedBody | undefined {
    const schemaId = schemaIdOf(bytes, origin);
    const built = this.#state(this.#registry()).built.get(schemaId);
    return built && this.#read(built, bytes!, schemaId, origin);
  }

  #read(reader: Reader, framed: Uint8Array, schemaId: number, origin?: MessageOrigin): DecodedBody {
    let value: unknown;
    try {
      value = reader.read(framed, HEADER_LENGTH, framed.length);
    } catch (cause) {
      throw new DeserializationError(`invalid Avro body: ${(cause as Error).message}`, {
        ...origin,
        schemaId,
        cause,
      });
    }
    try {
      const adapt = reader.adapted ? undefined : this.#adapter.fromAvro;
      const decoded = adapt ? adapt(value) : value;
      this.#normalize?.(decoded);
      return { value: decoded, schemaId, plain: reader.adapted };
    } catch (cause) {
      throw new DeserializationError(
        `decoded value is not a valid ${this.#name}: ${(cause as Error).message}`,
        {
          ...origin,
          schemaId,
          cause,
        },
      );
    }
  }

  #reader(registry: SchemaRegistry, schemaId: number, origin?: MessageOrigin): Promise<Reader> {
    const state = this.#state(registry);
    let reader = state.readers.get(schemaId);
    if (!reader) {
      const built = this.#buildReader(registry, state, schemaId, origin);
      state.readers.set(schemaId, built);
      built.then((ready) => {
        if (state.readers.get(schemaId) === built) state.built.set(schemaId, ready);
      }, () => {
        if (state.readers.get(schemaId) === built) state.readers.delete(schemaId);
      });
      reader = built;
    }
    return reader;
  }

  async #buildReader(
    registry: SchemaRegistry,
    state: RegistryState,
    schemaId: number,
    origin?: MessageOrigin,
  ): Promise<Reader> {
    let text: string;
    try {
      text = await registry.schemaById(schemaId);
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404 && !error.transient) {
        throw new DeserializationError(`unknown schema id ${schemaId}`, {
          ...origin,
          schemaId,
          cause: error,
        });
      }
      throw error;
    }
    // The model's own schema, as the registry spells it or as we do: no resolution needed.
    const ownId = await state.writer?.then((w) => w.type === this.#type ? w.id : -1, () => -1);
    const own = text === this.#avroText || schemaId === ownId;
    return readerOf(
      this.#type,
      own ? undefined : text,
      this.#compiled,
      () => `the writer schema ${schemaId} cannot be read as ${this.#name}`,
      { ...origin, schemaId },
    );
  }
}
