import type { MessageOrigin } from "../errors.ts";
import type { Transport } from "../transport/types.ts";

/**
 * What the loop needs from a model, and nothing more: its topic and group,
 * how to decode bytes (throwing DeserializationError or ValidationError for
 * poison), and a connection to the cluster. `K` is its key type: with
 * `decodeKey`, handlers see decoded keys (see `ConsumedKey`); without it,
 * keys are UTF-8 text.
 *
 * @example
 * ```ts
 * const model: LoopModel<Order> = Order; // every defineModel() model satisfies it
 * ```
 */
export interface LoopModel<T, K = string> {
  /** The topic to read, the default consumer group, and a key model's `keySchema`. */
  readonly settings: {
    readonly topic: string;
    readonly consumerGroup?: string;
    readonly keySchema?: unknown;
  };
  /** Decodes a value; DeserializationError or ValidationError marks poison. */
  decode(bytes: Uint8Array | null, origin: MessageOrigin): Promise<T>;
  /** Decodes key bytes; without it keys are read as UTF-8 text. */
  decodeKey?(bytes: Uint8Array | null, origin: MessageOrigin): Promise<K | null>;
  /** The model's connection: the loop asks it for the transport to the cluster. */
  readonly connection: {
    transport(): Promise<Transport>;
    /** How long a missing topic is waited for before the loop fails; default 15 s. */
    readonly connectTimeoutMs?: number;
    /** The connection's logger, used when the loop has none of its own. */
    readonly logger?: import("../transport/logging.ts").Logger;
  };
}
