/**
 * Applying a rebalance event of the `ffi` consumer: the group's assignment is
 * applied here (eagerly or incrementally, as the group's protocol says), a
 * revoke is announced to the listeners while the partitions are still owned
 * (so a listener may commit them), an assignment once it is applied.
 *
 * @module
 */
import type { TransportError } from "../../errors.ts";
import type { PartitionMap } from "../common/partition_key.ts";
import type { RebalanceListeners } from "../common/rebalance_listeners.ts";
import type { RebalanceEvent, TopicPartition } from "../types.ts";
import {
  errorCode,
  readPartitionList,
  readString,
  takeError,
  transportError,
} from "./librdkafka.ts";
import type { NativeLibrary, Pointer } from "./native.ts";

/**
 * Applies the rebalance `event` of consumer `rk` to librdkafka and to
 * `assigned`, telling `listeners`; returns the error when librdkafka refused
 * the assignment (the consumer can no longer work).
 */
export function applyRebalance(
  lib: NativeLibrary,
  rk: Pointer,
  event: Pointer,
  assigned: PartitionMap<true>,
  listeners: RebalanceListeners,
): TransportError | undefined {
  const code = lib.call.rd_kafka_event_error(event);
  const list = lib.call.rd_kafka_event_topic_partition_list(event);
  const partitions: TopicPartition[] = readPartitionList(lib, list).map((
    { topic, partition },
  ) => ({ topic, partition }));
  const assign = code === errorCode.assignPartitions;
  const change: RebalanceEvent = { type: assign ? "assign" : "revoke", partitions };
  if (!assign) listeners.emit(change);
  // Known only once the group has chosen its protocol, so asked at every rebalance.
  const cooperative = readString(lib, lib.call.rd_kafka_rebalance_protocol(rk)) === "COOPERATIVE";
  let failure: TransportError | undefined;
  if (cooperative) {
    const error = assign
      ? lib.call.rd_kafka_incremental_assign(rk, list)
      : lib.call.rd_kafka_incremental_unassign(rk, list);
    failure = takeError(lib, error, "cannot apply the group's assignment");
  } else {
    const err = lib.call.rd_kafka_assign(rk, assign ? list : null);
    if (err !== 0) failure = transportError(lib, err, "cannot apply the group's assignment");
  }
  if (failure) return failure;
  if (!cooperative && !assign) assigned.clear();
  for (const tp of partitions) {
    if (assign) assigned.set(tp, true);
    else assigned.delete(tp);
  }
  if (assign) listeners.emit(change);
  return undefined;
}
