/**
 * Reading a produced topic back to count what it holds, and, when acked
 * messages are missing, telling who lost them: the delivery reports name the
 * partition and offset of every acked message, so the read-back knows where
 * each partition ends and what it must find at each offset.
 */
import type {
  DeliveryResult,
  IncomingMessage,
  Transport,
  TransportConsumer,
} from "../../src/transport/types.ts";
import { uniqueName } from "../support.ts";

const decode = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

/** The id a message of the failover carries in its value (its index in the delivery results). */
export const idOf = (m: IncomingMessage): number => Number(decode(m.value));

/** The offset after the last acked message of each partition. */
export function ackedEnds(results: readonly DeliveryResult[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const r of results) {
    if (!r.ok || r.report.offset < 0) continue;
    const { partition, offset } = r.report;
    ends.set(partition, Math.max(ends.get(partition) ?? 0, offset + 1));
  }
  return ends;
}

/** What one read of the topic found. */
export interface ReadBack {
  readonly messages: IncomingMessage[];
  /** Partitions whose last acked offset was never read, with the next offset expected. */
  readonly short: Map<number, number>;
}

/**
 * Reads `topic` from the beginning in a new group until every partition
 * delivered the offset before its end in `ends` and then nothing more came
 * for 2 s (a duplicate past the last acked offset would), or until nothing
 * came for `idleMs`: never stops early on an idle pause, never waits forever.
 */
export async function readBack(
  transport: Transport,
  topic: string,
  ends: ReadonlyMap<number, number>,
  idleMs = 60_000,
): Promise<ReadBack> {
  const consumer: TransportConsumer = await transport.consumer({
    groupId: uniqueName("reader"),
    fromBeginning: true,
  });
  const messages: IncomingMessage[] = [];
  const next = new Map<number, number>([...ends.keys()].map((p) => [p, 0]));
  const done = () => [...ends].every(([p, end]) => (next.get(p) ?? 0) >= end);
  try {
    await consumer.subscribe([topic]);
    let idleSince = Date.now();
    for (;;) {
      const idle = Date.now() - idleSince;
      if (idle >= idleMs || (done() && idle >= 2_000)) break;
      const batch = await consumer.poll(5_000, 500);
      if (batch.length > 0) idleSince = Date.now();
      for (const m of batch) {
        messages.push(m);
        next.set(m.partition, Math.max(next.get(m.partition) ?? 0, m.offset + 1));
      }
    }
  } finally {
    await consumer.close();
  }
  const short = new Map(
    [...ends].filter(([p, end]) => (next.get(p) ?? 0) < end)
      .map(([p]) => [p, next.get(p) ?? 0]),
  );
  return { messages, short };
}

/** Counts per id of what was read. */
export function countIds(messages: readonly IncomingMessage[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const m of messages) seen.set(idOf(m), (seen.get(idOf(m)) ?? 0) + 1);
  return seen;
}

/**
 * Explains acked messages that a read did not find, from the delivery
 * reports, that read and a second read in another group: whether the topic
 * holds another message at the reported offset (a report for the wrong
 * message), whether the first read skipped offsets the second found (the
 * consumer's side), or whether no read found the offset (the cluster did
 * not keep what it acked).
 */
export function explainMissing(
  results: readonly DeliveryResult[],
  missing: readonly number[],
  first: ReadBack,
  second: ReadBack,
): string {
  const at = (read: ReadBack) => {
    const map = new Map<string, number>();
    for (const m of read.messages) map.set(`${m.partition}@${m.offset}`, idOf(m));
    return map;
  };
  const [firstAt, secondAt] = [at(first), at(second)];
  const secondIds = countIds(second.messages);
  const lines = missing.slice(0, 20).map((id) => {
    const r = results[id];
    if (!r.ok) return `id ${id}: not acked`;
    const place = `${r.report.partition}@${r.report.offset}`;
    const inFirst = firstAt.get(place);
    const inSecond = secondAt.get(place);
    const verdict = secondIds.has(id)
      ? "found by the second read: the first read skipped it (consumer side)"
      : inSecond !== undefined
      ? `the topic holds id ${inSecond} at its reported offset (report for the wrong message)`
      : "no read found its offset (the cluster did not keep it)";
    return `id ${id} acked at ${place}; first read there: ${inFirst ?? "nothing"}; ` +
      `second read there: ${inSecond ?? "nothing"} → ${verdict}`;
  });
  const gaps = (read: ReadBack) => {
    const byPartition = new Map<number, number[]>();
    for (const m of read.messages) {
      if (!byPartition.has(m.partition)) byPartition.set(m.partition, []);
      byPartition.get(m.partition)!.push(m.offset);
    }
    const found: string[] = [];
    for (const [p, offsets] of byPartition) {
      offsets.sort((a, b) => a - b);
      for (let i = 1; i < offsets.length; i++) {
        if (offsets[i] > offsets[i - 1] + 1) {
          found.push(`${p}:${offsets[i - 1] + 1}..${offsets[i] - 1}`);
        }
      }
    }
    return found.length > 0 ? found.slice(0, 10).join(" ") : "none";
  };
  const short = (read: ReadBack) =>
    read.short.size > 0
      ? [...read.short].map(([p, at]) => `${p} stopped at ${at}`).join(", ")
      : "none";
  return [
    ...lines,
    `first read: ${first.messages.length} messages, offset gaps ${gaps(first)}, short ${
      short(first)
    }`,
    `second read: ${second.messages.length} messages, offset gaps ${gaps(second)}, short ${
      short(second)
    }`,
  ].join("\n");
}
