/** The loop settings of the member-kill test's group, shared with its child member. */
import { RealTimeSettings } from "../../src/profiles/profiles.ts";

/** Cooperative-sticky, a short session so a killed member's partitions move within seconds. */
export const memberSettings = RealTimeSettings({
  consumer: {
    "auto.offset.reset": "earliest",
    "partition.assignment.strategy": "cooperative-sticky",
    "session.timeout.ms": 4_000,
    "heartbeat.interval.ms": 500,
  },
  pollBatchSize: 20,
  commitEvery: 20,
  commitIntervalMs: 200,
});

/** The most a member can have received and not committed for one partition. */
export const uncommittedWindow = memberSettings.pollBatchSize + memberSettings.commitEvery + 1;
