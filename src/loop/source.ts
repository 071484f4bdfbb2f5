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
  readonly settings: { readonly topic: string; readonly consumerGroup?: string };
  decode(bytes: Uint8Array | null, origin: MessageOrigin): Promise<T>;
  /** The transport to the model's cluster. */
  connection(): Promise<Transport>;
}
