/**
 * A model's values as Kafka records: each value validated, then its key
 * (given, or taken from the validated value) and the value written, with the
 * headers and partition asked for. No I/O but the registry lookups of the
 * schema ids; a producer sends the records.
 */
import { ValidationError } from "../errors.ts";
import type { KafkaHeader, OutgoingMessage } from "../transport/types.ts";
import type { AvroCodec } from "./avro_codec.ts";
import type { KeyCodec } from "./key_codec.ts";
import type { ProduceOptions } from "./model.ts";

/** What writing records takes: the model's name, the topic, the value codec and the key codec. */
export interface RecordParts<T, K> {
  /** The model's name, for its errors. */
  readonly model: string;
  readonly topic: string;
  readonly values: AvroCodec<T>;
  readonly keys: KeyCodec<T, K>;
}

/** Options for every record, or per record by its index. */
export type RecordOptions<K> =
  | ProduceOptions<K>
  | ((index: number) => ProduceOptions<K> | undefined)
  | undefined;

const encoder = new TextEncoder();
const noHeaders: readonly KafkaHeader[] = [];

/** Record headers from produce options: strings are UTF-8 encoded. */
export function headerBytes(headers: ProduceOptions<unknown>["headers"]): readonly KafkaHeader[] {
  if (!headers) return noHeaders;
  return Object.entries(headers).map((
    [name, value],
  ) => [name, typeof value === "string" ? encoder.encode(value) : value]);
}

/**
 * Validates every input (the first invalid one throws, naming its index in a
 * batch) and writes the records. Bytes may be views into shared slabs: the
 * transport copies them.
 */
export async function encodeRecords<T, K>(
  parts: RecordParts<T, K>,
  inputs: readonly unknown[],
  options: RecordOptions<K>,
): Promise<OutgoingMessage[]> {
  const optionsOf = typeof options === "function" ? options : () => options;
  const outputs = parts.values.acceptAll(inputs);
  const given = outputs.map((_, i) => optionsOf(i)?.key);
  const chosen = outputs.map((output, i) => {
    const key = given[i];
    if (key === null && parts.keys.avroSchema) {
      // Readers of a key model expect a key on every record: a keyless one would be undecodable.
      throw new ValidationError(parts.model, [{
        path: "(key)",
        message: "key: null on a model with a keySchema; give a key, or leave it out to derive it",
      }], { index: inputs.length > 1 ? i : undefined });
    }
    return key === undefined ? parts.keys.keyOf(output) : key instanceof Uint8Array ? null : key;
  });
  const [keys, values] = await Promise.all([
    parts.keys.encodeMany(chosen, true),
    parts.values.encodeValid(outputs, true),
  ]);
  return values.map((value, i) => {
    const key = given[i];
    const each = optionsOf(i);
    return {
      topic: parts.topic,
      partition: each?.partition,
      key: key instanceof Uint8Array ? key : keys[i],
      value,
      headers: headerBytes(each?.headers),
    };
  });
}
