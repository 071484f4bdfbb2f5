/** The native admin client: topics and group offsets. */
import type { KafkaProperties, TopicPartitionOffset, TopicSpec, TransportAdmin } from "../types.ts";
import { call, type Kafka, kafka, transportError } from "./client.ts";
import { type NativeContext, watchEvents } from "./events.ts";
import { unreachableError } from "../reachability.ts";

const TOPIC_ALREADY_EXISTS = 36;

/**
 * A native admin client, once a broker answered its metadata request; fails
 * naming the bootstrap servers when none did within the connect timeout.
 */
export async function nativeAdmin(
  properties: KafkaProperties,
  context: NativeContext,
): Promise<TransportAdmin> {
  const client: Kafka = kafka().AdminClient.create({ ...properties });
  watchEvents(client, "admin", context);
  try {
    await call<string[]>(
      "list topics",
      (done) => client.listTopics({ timeout: context.connectTimeoutMs }, done),
    );
  } catch (error) {
    client.disconnect();
    throw unreachableError(
      context.bootstrapServers,
      context.connectTimeoutMs,
      `last error: ${(error as Error).message}`,
      error,
    );
  }
  return {
    ensureTopic: async (spec: TopicSpec) => {
      try {
        await call<void>("create topic", (done) =>
          client.createTopic(
            {
              topic: spec.topic,
              num_partitions: spec.partitions ?? 1,
              replication_factor: spec.replicationFactor ?? 1,
              config: { ...spec.config },
            },
            30_000,
            done,
          ));
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === TOPIC_ALREADY_EXISTS) return false;
        throw error;
      }
    },
    deleteTopic: (topic) =>
      call<void>("delete topic", (done) => client.deleteTopic(topic, 30_000, done)),
    listTopics: () =>
      call<string[]>("list topics", (done) => client.listTopics({}, done)).then((t) =>
        [...t].sort()
      ),
    partitionCount: async (topic) => {
      const [described] = await call<{ name: string; partitions: unknown[]; error?: unknown }[]>(
        "describe topic",
        (done) => client.describeTopics([topic], {}, done),
      );
      if (described?.error) throw transportError(`describe topic ${topic}`, described.error);
      return described.partitions.length;
    },
    groupOffsets: async (groupId) => {
      const [group] = await call<{ partitions: (TopicPartitionOffset & { error?: unknown })[] }[]>(
        "group offsets",
        (done) => client.listConsumerGroupOffsets([{ groupId }], {}, done),
      );
      return (group?.partitions ?? []).filter((p) => p.offset >= 0).map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: p.offset,
      }));
    },
    close: () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
