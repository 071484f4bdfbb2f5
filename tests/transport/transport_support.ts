/** Shared setup for the `ffi` transport's tests: a transport, fresh topics, a full read. */
import type { IncomingMessage, Transport, TransportConsumer } from "../../src/transport/types.ts";
import { createFfiTransport } from "../../src/transport/ffi/mod.ts";
import { createTransport } from "../../src/transport/select.ts";
import { kafkaBootstrap, uniqueName } from "../support.ts";

/** A transport on the test cluster. */
/** The runtime's own transport: native on Node, ffi on Deno and Bun. */
export function brokerTransport(): Promise<Transport> {
  return createTransport({ bootstrapServers: kafkaBootstrap() });
}

export function ffiTransport(): Promise<Transport> {
  return createFfiTransport({ bootstrapServers: kafkaBootstrap() });
}

/** Creates a topic with a unique name and returns the name. */
export async function freshTopic(transport: Transport, prefix: string, partitions = 3) {
  const topic = uniqueName(prefix);
  const admin = await transport.admin();
  try {
    await admin.ensureTopic({ topic, partitions });
  } finally {
    await admin.close();
  }
  return topic;
}

/** Polls until `count` messages arrived or `timeoutMs` passed. */
export async function readAtLeast(
  consumer: TransportConsumer,
  count: number,
  timeoutMs = 30_000,
): Promise<IncomingMessage[]> {
  const got: IncomingMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    got.push(...await consumer.poll(Math.min(1000, count - got.length), 500));
  }
  return got;
}

export const encode = (text: string) => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array | null) =>
  bytes === null ? null : new TextDecoder().decode(bytes);
