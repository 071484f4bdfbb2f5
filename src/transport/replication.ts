/**
 * The replication factor `ensureTopic` gives a topic when none is asked for:
 * 3, as production clusters use, or every broker of a smaller cluster.
 *
 * @module
 */

/** 3, or the broker count when the cluster has fewer; at least 1. */
export function defaultReplicationFactor(brokers: number): number {
  return Math.max(1, Math.min(3, brokers));
}
