/**
 * The native consumer: manual commits, batched polls, rebalance events. The
 * group's assignment is applied here (eagerly or incrementally, as the group's
 * protocol says), after the listeners of a revoke have had their commits
 * answered, so a partition's next owner starts after what was finished.
 */
import type {
  IncomingMessage,
  KafkaHeader,
  PartitionLag,
  TopicPartition,
  TopicPartitionOffset,
  TransportConsumer,
} from "../types.ts";
import { TransportError } from "../../errors.ts";
import type { ClientContext } from "../common/client_context.ts";
import type { ConsumerSetup } from "../common/consumer_config.ts";
import { ownsItsBuffer } from "../common/owned_bytes.ts";
import { RebalanceListeners } from "../common/rebalance_listeners.ts";
import { call, type Kafka, kafka, transportError } from "./client.ts";
import { connectWithin, watchEvents } from "./events.ts";

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

/**
 * The addon's key or value as a Uint8Array that owns its memory: a view when
 * the addon's Buffer is alone in its ArrayBuffer (it copies each out of
 * librdkafka), else a copy, since a pooled Buffer would share its memory.
 */
function owned(bytes: Uint8Array): Uint8Array {
  return ownsItsBuffer(bytes)
    ? new Uint8Array(bytes.buffer, 0, bytes.byteLength)
    : new Uint8Array(bytes);
}

const plain = (tp: TopicPartition) => ({ topic: tp.topic, partition: tp.partition });

/**
 * A connected native consumer from its resolved settings; fails naming the
 * bootstrap servers when no broker answered within the connect timeout.
 */
export async function nativeConsumer(
  setup: ConsumerSetup,
  context: ClientContext,
): Promise<TransportConsumer> {
  const listeners = new RebalanceListeners(context.onError);
  const commits = new Set<Promise<unknown>>();
  let fatal: Error | undefined;
  let closing = false;
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
        listeners.emit({ type: "assign", partitions });
        return;
      }
      listeners.emit({ type: "revoke", partitions });
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
  const { "auto.offset.reset": start, ...global } = setup.properties;
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
      if (closing) return Promise.reject(new TransportError("the consumer is closed"));
      if (fatal) return Promise.reject(fatal);
      try {
        listeners.throwFailure();
      } catch (error) {
        return Promise.reject(error);
      }
      client.setDefaultConsumeTimeout(Math.max(1, timeoutMs));
      return call<NativeMessage[]>("poll", (done) => client.consume(maxMessages, done)).then(
        (messages) => {
          if (messages.length > 0) log.recovered();
          return messages.map((m): IncomingMessage => ({
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            key: m.key ? owned(m.key) : null,
            value: m.value ? owned(m.value) : null,
            headers: headersOf(m),
            timestamp: m.timestamp ?? 0,
          }));
        },
      );
    },
    commit: async (offsets) => {
      if (offsets.length === 0) return;
      // The addon's commitCb only enqueues the commit (librdkafka's commitAsync; a revoke
      // waits for that before unassigning), and commitSync would block the JS thread. So the
      // group's offsets are read back on a worker thread: librdkafka sends both requests to
      // the coordinator in that order, so the answer reflects the commit, and a refused
      // commit shows as a lower offset.
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
      const found = await call<TopicPartitionOffset[]>(
        "commit",
        (done) => client.committed(offsets.map(plain), 10_000, done),
      );
      for (const wanted of offsets) {
        const held = found.find((f) =>
          f.topic === wanted.topic && f.partition === wanted.partition
        );
        if (!held || held.offset < wanted.offset) {
          throw new TransportError(
            `the commit of ${wanted.topic}[${wanted.partition}] at ${wanted.offset} was not ` +
              `confirmed: the group holds ${held && held.offset >= 0 ? held.offset : "no offset"}`,
          );
        }
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
    onRebalance: (listener) => listeners.add(listener),
    close: () => {
      closing = true;
      return call<void>("consumer disconnect", (done) => client.disconnect(done));
    },
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
