import type { MessageOrigin } from "../errors.ts";
import type { Transport } from "../transport/types.ts";

/**
 * What the loop needs from a model, and nothing more: its topic and group,
 * how to decode bytes (throwing DeserializationError or ValidationError for
 * poison), and a connection to the cluster.
 *
 * @example
 * ```ts
 * const model: LoopModel<Order> = Order; // every defineModel() model satisfies it
 * ```
 */
export interface LoopModel<T> {
  /** The topic to read and the default consumer group. */
  readonly settings: { readonly topic: string; readonly consumerGroup?: string };
  /** Decodes a value; DeserializationError or ValidationError marks poison. */
  decode(bytes: Uint8Array | null, origin: MessageOrigin): Promise<T>;
  /** The model's connection: the loop asks it for the transport to the cluster. */
  readonly connection: {
    transport(): Promise<Transport>;
    /** How long a missing topic is waited for before the loop fails; default 15 s. */
    readonly connectTimeoutMs?: number;
    /** The connection's logger, used when the loop has none of its own. */
    readonly logger?: import("../transport/logging.ts").Logger;
  };
}
