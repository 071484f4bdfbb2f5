/**
 * How a serde reads the bodies of one writer schema: the model's own schema
 * with the compiled reader (plain model values, nothing to adapt) or avsc,
 * and any other writer schema through avsc's resolution onto the model's.
 */
import type avro from "avsc";
import { Buffer } from "node:buffer";
import { DeserializationError, type MessageOrigin } from "../errors.ts";
import type { CompiledReader } from "../avro/compiled_reader/compile_reader.ts";
import { compileAvro } from "../avro/logical_types.ts";

/** Reads the bodies written with one schema id. */
export interface Reader {
  /** Reads the Avro body `bytes[start, end)`. */
  readonly read: (bytes: Uint8Array, start: number, end: number) => unknown;
  /** Whether `read` returns the model's values already (a compiled reader) or avsc's, to adapt. */
  readonly adapted: boolean;
}

// avsc reads a Buffer: one view of the body, no subarray between the message and it.
const bodyView = (bytes: Uint8Array, start: number, end: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);

/**
 * The reader of `type`'s values written with `writerText`, or with the model's
 * own schema when it is undefined. A writer schema that cannot be resolved is
 * a DeserializationError starting with `refusal()`.
 */
export function readerOf(
  type: avro.Type,
  writerText: string | undefined,
  compiled: CompiledReader | undefined,
  refusal: () => string,
  origin: MessageOrigin & { schemaId: number },
): Reader {
  if (writerText === undefined) {
    if (compiled) return { read: compiled, adapted: true };
    return { read: (...body) => type.fromBuffer(bodyView(...body)), adapted: false };
  }
  let resolver;
  try {
    resolver = type.createResolver(compileAvro(JSON.parse(writerText)));
  } catch (cause) {
    throw new DeserializationError(`${refusal()}: ${(cause as Error).message}`, {
      ...origin,
      cause,
    });
  }
  return { read: (...body) => type.fromBuffer(bodyView(...body), resolver), adapted: false };
}
