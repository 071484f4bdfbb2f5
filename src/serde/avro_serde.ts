/**
 * Values <-> Confluent wire format for one model: validation, the schema id
 * (registered or looked up once, shared by concurrent first calls), and Avro
 * schema resolution from whatever schema a message was written with.
 */
import avro from "avsc";
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
import { logicalTypes } from "../avro/codec.ts";
import { valueAdapter } from "../avro/value_adapter.ts";
import { installBoundedSkips } from "../avro/bounded_skip.ts";
import type { SchemaRegistry } from "../registry/types.ts";
import { HEADER_LENGTH, unframe } from "./wire_format.ts";

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

// Writer fields a model dropped are skipped; a hostile block size must not hang that skip.
installBoundedSkips(avro.types);

// Values are written straight after the wire-format header here, then copied out once.
let scratch = Buffer.alloc(64 * 1024);

function writeFramed(type: avro.Type, schemaId: number, value: unknown): Uint8Array {
  while (true) {
    scratch[0] = 0;
    scratch.writeUInt32BE(schemaId, 1);
    const end = type.encode(value, scratch, HEADER_LENGTH);
    if (end >= 0) {
      const framed = new Uint8Array(end);
      framed.set(scratch.subarray(0, end));
      return framed;
    }
    scratch = Buffer.alloc(scratch.length - end); // end is minus the missing byte count
  }
}

/** Encodes and decodes one model's values. */
export class AvroSerde {
  readonly #name: string;
  readonly #schema: v.GenericSchema;
  readonly #avroText: string;
  readonly #type: avro.Type;
  readonly #adapter;
  readonly #subject: string;
  readonly #registry: () => SchemaRegistry;
  readonly #options: SerdeOptions;
  #writer?: Promise<{ id: number; type: avro.Type }>;
  readonly #readers = new Map<number, Promise<Reader>>();

  constructor(
    name: string,
    schema: v.GenericSchema,
    avroSchema: AvroSchema,
    subject: string,
    registry: () => SchemaRegistry,
    options: SerdeOptions = {},
  ) {
    this.#name = name;
    this.#schema = schema;
    this.#avroText = JSON.stringify(avroSchema);
    this.#type = avro.Type.forSchema(avroSchema as avro.Schema, { logicalTypes });
    this.#adapter = valueAdapter(this.#type);
    this.#subject = subject;
    this.#registry = registry;
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

  #resolveWriter(): Promise<{ id: number; type: avro.Type }> {
    this.#writer ??= this.#findWriter().catch((error) => {
      this.#writer = undefined; // a later call may succeed once the registry answers
      throw error;
    });
    return this.#writer;
  }

  async #findWriter(): Promise<{ id: number; type: avro.Type }> {
    const registry = this.#registry();
    const subject = this.#subject;
    if (this.#options.useLatestVersion) {
      const latest = await registry.version(subject, "latest");
      const type = avro.Type.forSchema(JSON.parse(latest.schema), { logicalTypes });
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

  /** Validates (unless `validated`) and writes the value in the wire format. */
  async encode(value: unknown, validated = false): Promise<Uint8Array> {
    const output = validated ? value : this.validate(value);
    const writer = await this.#resolveWriter();
    try {
      const avroValue = this.#adapter.toAvro ? this.#adapter.toAvro(output) : output;
      return writeFramed(writer.type, writer.id, avroValue);
    } catch (cause) {
      throw new SerializationError(
        `${this.#name} could not be written with schema id ${writer.id}: ${
          (cause as Error).message
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
    const reader = await this.#reader(schemaId, origin);
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
      return this.validate(this.#adapter.fromAvro ? this.#adapter.fromAvro(value) : value);
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

  #reader(schemaId: number, origin?: MessageOrigin): Promise<Reader> {
    let reader = this.#readers.get(schemaId);
    if (!reader) {
      reader = this.#buildReader(schemaId, origin);
      this.#readers.set(schemaId, reader);
      reader.catch(() => this.#readers.delete(schemaId));
    }
    return reader;
  }

  async #buildReader(schemaId: number, origin?: MessageOrigin): Promise<Reader> {
    let text: string;
    try {
      text = await this.#registry().schemaById(schemaId);
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404) {
        throw new DeserializationError(`unknown schema id ${schemaId}`, {
          ...origin,
          schemaId,
          cause: error,
        });
      }
      throw error;
    }
    // The model's own schema, as the registry spells it or as we do: no resolution needed.
    const ownId = await this.#writer?.then((w) => w.type === this.#type ? w.id : -1, () => -1);
    if (text === this.#avroText || schemaId === ownId) return (body) => this.#type.fromBuffer(body);
    let resolver;
    try {
      const writer = avro.Type.forSchema(JSON.parse(text), { logicalTypes });
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
