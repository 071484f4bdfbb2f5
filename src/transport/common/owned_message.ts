/**
 * Readers of records with `sharedBytes` (their key and value may be views of
 * a buffer other records share: the loops, `Model.consume()`) copy what they
 * hand to user code (onError, onDeadLetter, onUndecodable) first: a hook may
 * keep the bytes, and `bytes.buffer` must not show it other records.
 *
 * @module
 */
import { ownsItsBuffer } from "./owned_bytes.ts";
import type { IncomingMessage } from "../types.ts";

/** `bytes`, or a copy of them when they do not own their whole buffer. */
function owned(bytes: Uint8Array | null): Uint8Array | null {
  if (bytes === null) return null;
  return ownsItsBuffer(bytes) ? bytes : bytes.slice();
}

/** `message` with key and value that own their memory (the same object when they already do). */
export function ownedMessage(message: IncomingMessage): IncomingMessage {
  const key = owned(message.key);
  const value = owned(message.value);
  return key === message.key && value === message.value ? message : { ...message, key, value };
}
