/**
 * Values <-> Confluent wire format for one model: validation, the schema id
 * (registered or looked up once per registry, shared by concurrent first
 * calls), and Avro schema resolution from whatever schema a message was
 * written with.
 */
import type avro from "avsc";
import avsc from "avsc";
import { Buffer } from "node:buffer";
import * as v from "valibot";
import {
  DeserializationError,
  type MessageOrigin,
  RegistryError,
  SerializationError,
  ValidationError,
} from "../errors.ts";
import type { AvroSchema } from "../avro/to_avro_schema.ts";
import { compileAvro, compileAvroWriter } from "../avro/logical_types.ts";
import { valueAdapter } from "../avro/value_adapter.ts";
import { installBoundedBlocks } from "../avro/bounded_blocks.ts";
import { installExactNumberLongs } from "../avro/exact_long.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { HEADER_LENGTH, unframe } from "./wire_format.ts";
import { absentOptionals } from "./absent_optionals.ts";

/** What a serde reads and writes: one model's value, or its key. */
export interface SerdeSubject {
  /** The model name, for messages. */
  readonly name: string;
  /** The Valibot schema values are validated with. */
  readonly schema: v.GenericSchema;
  /** The Avro schema registered for it. */
  readonly avroSchema: AvroSchema;
  /** The same schema as compiled locally (bigint longs marked exact); `avroSchema` by default. */
  readonly compiledSchema?: AvroSchema;
  /** The registry subject. */
  readonly subject: string;
  /** The registry, resolved on use. */
  readonly registry: () => SchemaRegistry;
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

type Reader = (body: Buffer) => unknown;

interface Writer {
  readonly id: number;
  readonly type: avro.Type;
}

/**
 * What a serde learned from one registry. Ids belong to the registry that
 * issued them: after `close()` + `connect()` to another registry, or in
 * another `mock://` scope, id 1 is another schema, so nothing is shared.
 */
interface RegistryState {
  writer?: Promise<Writer>;
  readonly readers: Map<number, Promise<Reader>>;
}

// Hostile block counts and sizes must not hang or exhaust a read or the skip of a dropped field.
installBoundedBlocks(avsc.types);
// avsc flips the sign of longs between -2^53 and -2^52; ours are exact or refused.
installExactNumberLongs(avsc.types);

// Messages are written in place, header then Avro body, into shared slabs.
// The produce path takes them as views: no copy and no ArrayBuffer per message
// (which cost more than the encoding itself), and a slab is freed once no
// message of it is alive. Callers of encode() get a copy that owns its buffer
// (no other value's bytes behind it, nothing else kept alive), written in the
// slab's free space, which stays free.
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

function writeFramed(type: avro.Type, schemaId: number, value: unknown, owned: boolean) {
  while (true) {
    if (slab.length - used > HEADER_LENGTH) {
      slab[used] = 0;
      slab.writeUInt32BE(schemaId, used + 1);
      const end = type.encode(value, slab, used + HEADER_LENGTH);
      if (end >= 0) {
        const framed = new Uint8Array(slab.buffer, slab.byteOffset + used, end - used);
        if (owned) return framed.slice();
        used = end;
        return framed;
      }
      // A negative end is the number of bytes missing: the next slab holds at least the message.
      slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, slab.length - used - end));
    } else {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    }
    used = 0;
  }
}

/** Encodes and decodes one model's values. */
export class AvroSerde {
  readonly #name: string;
  readonly #schema: v.GenericSchema;
  readonly #avroText: string;
  readonly #type: avro.Type;
  readonly #adapter;
  readonly #absentOptionals;
  readonly #subject: string;
  readonly #registry: () => SchemaRegistry;
  readonly #options: SerdeOptions;
  readonly #byRegistry = new WeakMap<SchemaRegistry, RegistryState>();

  constructor(subject: SerdeSubject, options: SerdeOptions = {}) {
    this.#name = subject.name;
    this.#schema = subject.schema;
    this.#avroText = JSON.stringify(subject.avroSchema);
    this.#type = compileAvro(subject.compiledSchema ?? subject.avroSchema);
    this.#adapter = valueAdapter(this.#type);
    this.#absentOptionals = absentOptionals(subject.schema);
    this.#subject = subject.subject;
    this.#registry = subject.registry;
    this.#options = options;
  }

  /** Validates `input` with the model's schema: its typed output, or a ValidationError. */
  validate(input: unknown): unknown {
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

  /** The id this model writes with; one registry call however many callers wait. */
  schemaId(): Promise<number> {
    return this.#resolveWriter().then((writer) => writer.id);
  }

  #state(registry: SchemaRegistry): RegistryState {
    let state = this.#byRegistry.get(registry);
    if (!state) this.#byRegistry.set(registry, state = { readers: new Map() });
    return state;
  }

  #resolveWriter(): Promise<Writer> {
    const registry = this.#registry();
    const state = this.#state(registry);
    if (!state.writer) {
      const writer = this.#findWriter(registry).catch((error) => {
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
      const type = latest.schema === this.#avroText
        ? this.#type
        : compileAvroWriter(JSON.parse(latest.schema));
      return { id: latest.id, type };
    }
    if (this.#options.autoRegister ?? true) {
      const id = await registry.register(subject, this.#avroText, {
        normalize: this.#options.normalize,
      });
      return { id, type: this.#type };
    }
    const found = await registry.lookup(subject, this.#avroText);
    if (!found) {
      throw new SerializationError(
        `the schema of ${this.#name} is not registered under subject "${subject}"; ` +
          "register it (flowodm register, or Model.registerSchema()) or enable autoRegister",
      );
    }
    return { id: found.id, type: this.#type };
  }

  /**
   * Validates (unless `validated`) and writes the value in the wire format,
   * into bytes that own their buffer.
   */
  async encode(value: unknown, validated = false): Promise<Uint8Array> {
    const output = validated ? value : this.validate(value);
    return this.#write(await this.#resolveWriter(), output, true);
  }

  /**
   * Validates every value, then writes them all: one wait for the schema id
   * and none per value. The first invalid value throws and nothing is written.
   * Each result owns its buffer, unless `inPlace`: views into shared slabs,
   * for the produce path, which hands them to the transport and drops them.
   */
  async encodeMany(values: readonly unknown[], inPlace = false): Promise<Uint8Array[]> {
    // In a batch, an error names the element that failed, so it can be found.
    const atIndex = (error: unknown, index: number): unknown => {
      if (values.length < 2) return error;
      if (error instanceof ValidationError) {
        return new ValidationError(error.model, error.issues, { index, cause: error.cause });
      }
      if (error instanceof SerializationError) {
        return new SerializationError(`element ${index} of the batch: ${error.message}`, {
          schemaId: error.schemaId,
          cause: error.cause,
        });
      }
      return error;
    };
    const outputs = values.map((value, i) => {
      try {
        return this.validate(value);
      } catch (error) {
        throw atIndex(error, i);
      }
    });
    const writer = await this.#resolveWriter();
    return outputs.map((output, i) => {
      try {
        return this.#write(writer, output, !inPlace);
      } catch (error) {
        throw atIndex(error, i);
      }
    });
  }

  #write(writer: Writer, output: unknown, owned: boolean): Uint8Array {
    let avroValue: unknown;
    try {
      avroValue = this.#adapter.toAvro ? this.#adapter.toAvro(output) : output;
      return writeFramed(writer.type, writer.id, avroValue, owned);
    } catch (cause) {
      throw new SerializationError(
        `${this.#name} could not be written with schema id ${writer.id}: ${
          explain(writer.type, avroValue, cause as Error)
        }`,
        { schemaId: writer.id, cause },
      );
    }
  }

  /**
   * Reads wire-format bytes: resolves the writer's schema onto the model's and
   * validates. Message faults are DeserializationErrors; a registry that cannot
   * be reached is a RegistryError, since the message itself may be fine.
   */
  async decode(bytes: Uint8Array | null, origin?: MessageOrigin): Promise<unknown> {
    const { schemaId, body } = unframe(bytes, origin);
    const reader = await this.#reader(this.#registry(), schemaId, origin);
    let value: unknown;
    try {
      value = reader(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } catch (cause) {
      throw new DeserializationError(`invalid Avro body: ${(cause as Error).message}`, {
        ...origin,
        schemaId,
        cause,
      });
    }
    try {
      const decoded = this.#adapter.fromAvro ? this.#adapter.fromAvro(value) : value;
      this.#absentOptionals?.(decoded);
      return this.validate(decoded);
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
      built.catch(() => {
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
    if (text === this.#avroText || schemaId === ownId) return (body) => this.#type.fromBuffer(body);
    let resolver;
    try {
      const writer = compileAvro(JSON.parse(text));
      resolver = this.#type.createResolver(writer);
    } catch (cause) {
      throw new DeserializationError(
        `the writer schema ${schemaId} cannot be read as ${this.#name}: ${
          (cause as Error).message
        }`,
        { ...origin, schemaId, cause },
      );
    }
    return (body) => this.#type.fromBuffer(body, resolver);
  }
}

/** avsc's reason, with the fields at fault and what to do about longs. */
function explain(type: avro.Type, value: unknown, cause: Error): string {
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
