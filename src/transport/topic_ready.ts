/**
 * Waiting, after CreateTopics answered, until the cluster's metadata lists
 * the new topic with a leader for every partition: the controller answers
 * before every broker knows the topic, and a produce or a describe sent in
 * between would be told it does not exist.
 *
 * @module
 */
import type { PartitionReplicas } from "./types.ts";

const readyDeadlineMs = 30_000;

/** Polls `describe` until every partition has a leader; gives up quietly after 30 s. */
export async function waitUntilLed(describe: () => Promise<PartitionReplicas[]>): Promise<void> {
  const deadline = Date.now() + readyDeadlineMs;
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
    const partitions = await describe().catch(() => []);
    if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
