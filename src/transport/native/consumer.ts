/**
 * The native consumer: manual commits, batched polls, rebalance events. The
 * group's assignment is applied here (eagerly or incrementally, as the group's
 * protocol says), after the listeners of a revoke have had their commits
 * answered, so a partition's next owner starts after what was finished.
 */
import type {
  IncomingMessage,
  KafkaHeader,
  KafkaProperties,
  PartitionLag,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import { forGroupProtocol } from "../group_protocol.ts";
import { call, type Kafka, kafka, transportError } from "./client.ts";
import { connectWithin, type NativeContext, watchEvents } from "./events.ts";

const ASSIGN = -175;
/** How long a revoke waits for the commits its listeners started. */
const revokeCommitWaitMs = 10_000;

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

/**
 * A connected native consumer from resolved properties (see
 * `consumerProperties`, which holds its group); fails naming the bootstrap
 * servers when no broker answered within the connect timeout.
 */
export async function nativeConsumer(
  properties: KafkaProperties,
  context: NativeContext,
): Promise<TransportConsumer> {
  const listeners = new Set<(event: RebalanceEvent) => void>();
  const commits = new Set<Promise<unknown>>();
  let fatal: Error | undefined;
  const emit = (event: RebalanceEvent) => {
    for (const listener of listeners) listener(event);
  };
  // The addon calls this on the JS thread; librdkafka holds the rebalance
  // until (incremental_)assign/unassign is called, so a revoke can wait here.
  const rebalance = async (error: { code: number }, assignment: TopicPartition[]) => {
    const partitions = assignment.map(plain);
    const assign = error.code === ASSIGN;
    try {
      const cooperative = client.rebalanceProtocol() === "COOPERATIVE";
      if (assign) {
        if (cooperative) client.incrementalAssign(partitions);
        else client.assign(partitions);
        emit({ type: "assign", partitions });
        return;
      }
      emit({ type: "revoke", partitions });
      await within(Promise.allSettled([...commits]), revokeCommitWaitMs);
      if (cooperative) client.incrementalUnassign(partitions);
      else client.unassign();
    } catch (cause) {
      // Only a closed consumer refuses an assignment (it has left its group);
      // otherwise the next poll reports the failure.
      if (client.isConnected()) {
        fatal ??= transportError("cannot apply the group's assignment", cause);
      }
    }
  };
  // The addon always installs a default topic configuration, which would hide
  // a global auto.offset.reset: it belongs there.
  const { "auto.offset.reset": start, ...global } = forGroupProtocol(properties);
  const client: Kafka = new (kafka().KafkaConsumer)(
    {
      ...global,
      rebalance_cb: (error: { code: number }, assignment: TopicPartition[]) =>
        void rebalance(error, assignment),
    },
    start === undefined ? {} : { "auto.offset.reset": start },
  );
  const log = watchEvents(client, "consumer", context, (error) => fatal ??= error);
  await connectWithin("consumer connect", client, global, context);
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
      if (fatal) return Promise.reject(fatal);
      client.setDefaultConsumeTimeout(Math.max(1, timeoutMs));
      return call<NativeMessage[]>("poll", (done) => client.consume(maxMessages, done)).then(
        (messages) => {
          if (messages.length > 0) log.recovered();
          return messages.map((m): IncomingMessage => ({
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            key: m.key ? new Uint8Array(m.key) : null,
            value: m.value ? new Uint8Array(m.value) : null,
            headers: headersOf(m),
            timestamp: m.timestamp ?? 0,
          }));
        },
      );
    },
    commit: async (offsets) => {
      if (offsets.length === 0) return;
      // commitCb waits for the broker on a worker thread; commitSync would block the JS thread.
      const sent = call<void>("commit", (done) =>
        client.commitCb(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
          done,
        ));
      commits.add(sent);
      try {
        await sent;
      } finally {
        commits.delete(sent);
      }
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

/** True when `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
