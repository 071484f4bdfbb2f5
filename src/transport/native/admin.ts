/** The native admin client: topics and group offsets. */
import { defaultReplicationFactor } from "../replication.ts";
import { waitUntilLed } from "../topic_ready.ts";
import type {
  KafkaProperties,
  PartitionReplicas,
  TopicPartitionOffset,
  TopicSpec,
  TransportAdmin,
} from "../types.ts";
import { TransportError } from "../../errors.ts";
import { call, type Kafka, kafka, transportError } from "./client.ts";
import { watchEvents } from "./events.ts";
import type { ClientContext } from "../common/client_context.ts";
import { unreachableError } from "../reachability.ts";

interface Node {
  id: number;
}

interface Metadata {
  brokers: Node[];
  topics: {
    name: string;
    partitions: { id: number; leader: number; replicas: number[]; isrs: number[] }[];
  }[];
}

const TOPIC_ALREADY_EXISTS = 36;
const UNKNOWN_TOPIC_OR_PART = 3;

/**
 * A native admin client, once a broker answered its metadata request; fails
 * naming the bootstrap servers when none did within the connect timeout.
 */
export async function nativeAdmin(
  properties: KafkaProperties,
  context: ClientContext,
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
  // The addon's metadata call: any broker that is up answers it, with leaders and in-sync replicas.
  const metadata = (topic?: string) =>
    call<Metadata>(
      "cluster metadata",
      (done) => client._client.getMetadata({ topic, allTopics: false, timeout: 10_000 }, done),
    );
  const brokers = () =>
    metadata().then((found) => found.brokers.map((b) => b.id).sort((a, b) => a - b));
  const describeTopic = async (topic: string): Promise<PartitionReplicas[]> => {
    const found = (await metadata(topic)).topics.find((t) => t.name === topic);
    if (!found || found.partitions.length === 0) {
      throw new TransportError(`describe topic ${topic}: topic ${topic} does not exist`, {
        code: UNKNOWN_TOPIC_OR_PART,
        codeName: "UNKNOWN_TOPIC_OR_PART",
      });
    }
    return found.partitions.map((p): PartitionReplicas => ({
      partition: p.id,
      leader: p.leader,
      replicas: [...p.replicas],
      isr: [...p.isrs],
    })).sort((a, b) => a.partition - b.partition);
  };
  return {
    brokers,
    describeTopic,
    ensureTopic: async (spec: TopicSpec) => {
      const replicationFactor = spec.replicationFactor ??
        defaultReplicationFactor((await brokers()).length);
      try {
        await call<void>("create topic", (done) =>
          client.createTopic(
            {
              topic: spec.topic,
              num_partitions: spec.partitions ?? 1,
              replication_factor: replicationFactor,
              config: { ...spec.config },
            },
            30_000,
            done,
          ));
        await waitUntilLed(() => describeTopic(spec.topic));
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
