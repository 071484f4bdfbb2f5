/** The native consumer: manual commits, batched polls, rebalance events. */
import type {
  ConsumerOptions,
  IncomingMessage,
  KafkaHeader,
  KafkaProperties,
  PartitionLag,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import { call, connectClient, type Kafka, kafka } from "./client.ts";

const ASSIGN = -175;

interface NativeMessage {
  topic: string;
  partition: number;
  offset: number;
  key?: Uint8Array | null;
  value: Uint8Array | null;
  timestamp?: number;
  headers?: Record<string, Uint8Array | string>[];
}

function headersOf(message: NativeMessage): KafkaHeader[] {
  const out: KafkaHeader[] = [];
  for (const header of message.headers ?? []) {
    for (const [key, value] of Object.entries(header)) {
      out.push([
        key,
        typeof value === "string" ? new TextEncoder().encode(value) : new Uint8Array(value),
      ]);
    }
  }
  return out;
}

const plain = (tp: TopicPartition) => ({ topic: tp.topic, partition: tp.partition });

/** A connected native consumer in its group. */
export async function nativeConsumer(
  base: KafkaProperties,
  options: ConsumerOptions,
): Promise<TransportConsumer> {
  const listeners = new Set<(event: RebalanceEvent) => void>();
  const client: Kafka = new (kafka().KafkaConsumer)({
    ...base,
    ...options.properties,
    "group.id": options.groupId,
    "enable.auto.commit": false,
    "enable.auto.offset.store": false,
    rebalance_cb: true,
  }, { "auto.offset.reset": options.fromBeginning ? "earliest" : "latest" });
  client.on("rebalance", (error: { code: number }, assignment: TopicPartition[]) => {
    const event: RebalanceEvent = {
      type: error.code === ASSIGN ? "assign" : "revoke",
      partitions: assignment.map(plain),
    };
    for (const listener of listeners) listener(event);
  });
  await connectClient("consumer connect", client, base);
  client.setDefaultConsumeTimeout(100);
  // As poll() promises: wait for the first record only, then take what is ready
  // (by default the addon waits the timeout again for each further record).
  client.setDefaultIsTimeoutOnlyForFirstMessage(true);

  return {
    subscribe: (topics) => {
      client.subscribe([...topics]);
      return Promise.resolve();
    },
    poll: (maxMessages, timeoutMs) => {
      client.setDefaultConsumeTimeout(Math.max(1, timeoutMs));
      return call<NativeMessage[]>("poll", (done) => client.consume(maxMessages, done)).then(
        (messages) =>
          messages.map((m): IncomingMessage => ({
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            key: m.key ? new Uint8Array(m.key) : null,
            value: m.value ? new Uint8Array(m.value) : null,
            headers: headersOf(m),
            timestamp: m.timestamp ?? 0,
          })),
      );
    },
    commit: async (offsets) => {
      if (offsets.length === 0) return;
      // commitCb waits for the broker on a worker thread; commitSync would block the JS thread.
      await call<void>("commit", (done) =>
        client.commitCb(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
          done,
        ));
    },
    committed: (partitions) =>
      call<TopicPartitionOffset[]>(
        "committed",
        (done) => client.committed(partitions.map(plain), 10_000, done),
      ).then((found) =>
        found.filter((entry) => entry.offset >= 0).map((e) => ({
          topic: e.topic,
          partition: e.partition,
          offset: e.offset,
        }))
      ),
    seek: (position) =>
      call<void>(
        "seek",
        (done) =>
          client.seek(
            { topic: position.topic, partition: position.partition, offset: position.offset },
            10_000,
            done,
          ),
      ),
    pause: (partitions) => client.pause(partitions.map(plain)),
    resume: (partitions) => client.resume(partitions.map(plain)),
    assignment: () => (client.assignments() as TopicPartition[]).map(plain),
    lag: () => {
      const out: PartitionLag[] = [];
      for (const { topic, partition, offset } of client.position() as TopicPartitionOffset[]) {
        if (!(offset >= 0)) continue;
        let highWatermark: number;
        try {
          highWatermark = client.getWatermarkOffsets(topic, partition).highOffset;
        } catch {
          continue; // no fetch yet, so no cached watermark
        }
        if (!(highWatermark >= 0)) continue;
        out.push({
          topic,
          partition,
          position: offset,
          highWatermark,
          lag: highWatermark - offset,
        });
      }
      return out;
    },
    onRebalance: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => call<void>("consumer disconnect", (done) => client.disconnect(done)),
  };
}
