import type { KafkaHeader } from "../transport/types.ts";

/**
 * Headers FlowODM adds to a message forwarded to a retry or dead letter
 * topic. They always name the ORIGINAL topic, partition and offset, even when
 * the message was read from a retry topic.
 *
 * @example
 * ```ts
 * import { FailureHeader } from "@flowodm/flowodm";
 * const topic = new TextDecoder().decode(msg.headers.find(([k]) => k === FailureHeader.originalTopic)?.[1]);
 * ```
 */
export const FailureHeader = {
  attempt: "flowodm.attempt",
  errorClass: "flowodm.error.class",
  errorMessage: "flowodm.error.message",
  originalTopic: "flowodm.original.topic",
  originalPartition: "flowodm.original.partition",
  originalOffset: "flowodm.original.offset",
  originalTimestamp: "flowodm.original.timestamp",
  retryDue: "flowodm.retry.due",
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ours = new Set<string>(Object.values(FailureHeader));

/**
 * The value of the last header named `name` (UTF-8 text), or undefined.
 * Consumed messages keep headers as a list of `[name, bytes]`, in order.
 *
 * @example
 * ```ts
 * import { headerText } from "@flowodm/flowodm";
 * for await (const msg of Order.consume()) {
 *   console.log(headerText(msg.headers, "correlation-id"));
 * }
 * ```
 */
export function headerText(headers: readonly KafkaHeader[], name: string): string | undefined {
  for (let i = headers.length - 1; i >= 0; i--) {
    if (headers[i][0] === name) return decoder.decode(headers[i][1]);
  }
  return undefined;
}

/** Where a failed message first came from. */
export interface Origin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

/** The original position of a message, read from our headers when it was forwarded before. */
export function originOf(
  message: {
    topic: string;
    partition: number;
    offset: number;
    timestamp: number;
    headers: readonly KafkaHeader[];
  },
): Origin {
  const topic = headerText(message.headers, FailureHeader.originalTopic);
  if (topic === undefined) return message;
  return {
    topic,
    partition: Number(headerText(message.headers, FailureHeader.originalPartition)),
    offset: Number(headerText(message.headers, FailureHeader.originalOffset)),
    timestamp: Number(headerText(message.headers, FailureHeader.originalTimestamp)),
  };
}

/** The user's headers followed by fresh failure headers (earlier FlowODM ones dropped). */
export function failureHeaders(
  headers: readonly KafkaHeader[],
  failure: { origin: Origin; attempt: number; error: unknown; dueMs?: number },
): KafkaHeader[] {
  const error = failure.error instanceof Error ? failure.error : new Error(String(failure.error));
  const added: [string, string][] = [
    [FailureHeader.attempt, String(failure.attempt)],
    [FailureHeader.errorClass, error.name],
    [FailureHeader.errorMessage, error.message.slice(0, 4000)],
    [FailureHeader.originalTopic, failure.origin.topic],
    [FailureHeader.originalPartition, String(failure.origin.partition)],
    [FailureHeader.originalOffset, String(failure.origin.offset)],
    [FailureHeader.originalTimestamp, String(failure.origin.timestamp)],
  ];
  if (failure.dueMs !== undefined) added.push([FailureHeader.retryDue, String(failure.dueMs)]);
  return [
    ...headers.filter(([name]) => !ours.has(name)),
    ...added.map(([name, value]) => [name, encoder.encode(value)] as const),
  ];
}
