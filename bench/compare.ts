/**
 * A row's figures against the rows it is compared with, run by run: the best
 * peer of its group (the fastest peer of that same run), the group's raw
 * client, and its reference row; and its targets, met or not.
 */
import type { Row, TargetSpec } from "./scenarios.ts";
import { ratios, type Spread, spread } from "./stats.ts";

/** A metric of a row in every run (undefined where that run failed). */
export type Values = (id: string, key: string) => (number | undefined)[];

/** A target of one row, judged on the median. */
export interface TargetResult {
  /** What is asked, e.g. `>= 1.2× best peer (msg/s)`. */
  readonly name: string;
  /** Undefined when a figure it needs was not measured. */
  readonly met?: boolean;
  /** The median and spread it was judged on. */
  readonly shown: string;
}

/** The comparisons of one metric of a row. */
export interface Comparison {
  readonly peer?: Spread;
  readonly raw?: Spread;
  readonly reference?: Spread;
}

/** The best (highest) peer figure of each run in `row`'s group. */
export function bestPeer(all: readonly Row[], row: Row, key: string, values: Values) {
  // A peer is compared with the best peer too (itself, if it is the best: 1.00×).
  const peers = all.filter((r) => r.group === row.group && r.role === "peer");
  if (peers.length === 0) return [];
  const series = peers.map((p) => values(p.id, key));
  const runs = Math.max(...series.map((s) => s.length));
  return Array.from({ length: runs }, (_, i) => {
    const known = series.map((s) => s[i]).filter((x): x is number => x !== undefined);
    return known.length ? Math.max(...known) : undefined;
  });
}

function rawOf(all: readonly Row[], row: Row): Row | undefined {
  return all.find((r) => r.group === row.group && r.role === "raw" && r !== row);
}

/** Ratios of `row`'s `key` to its best peer, raw client and reference, run by run. */
export function compare(all: readonly Row[], row: Row, key: string, values: Values): Comparison {
  const mine = values(row.id, key);
  const raw = rawOf(all, row);
  return {
    peer: spread(ratios(mine, bestPeer(all, row, key, values))),
    raw: raw ? spread(ratios(mine, values(raw.id, key))) : undefined,
    reference: row.reference ? spread(ratios(mine, values(row.reference, key))) : undefined,
  };
}

const times = (s: Spread) => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
const plain = (s: Spread) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;

function unitOf(row: Row, key: string): string {
  return row.metrics.find((m) => m.key === key)?.unit ?? key;
}

/** Judges one target of `row`. */
export function judge(all: readonly Row[], row: Row, spec: TargetSpec, values: Values) {
  const unit = unitOf(row, spec.metric);
  if (spec.kind === "ratio") {
    const against = spec.against === "peer"
      ? "best peer"
      : spec.against === "raw"
      ? "raw client"
      : row.reference?.split("/").slice(-1)[0] === "node"
      ? "Node"
      : "reference";
    const s = compare(all, row, spec.metric, values)[spec.against];
    return {
      name: `>= ${spec.atLeast}× ${against} (${unit})`,
      met: s ? s.median >= spec.atLeast : undefined,
      shown: s ? times(s) : "not measured",
    };
  }
  if (spec.kind === "below") {
    const s = spread(values(row.id, spec.metric).filter((x): x is number => x !== undefined));
    return {
      name: `< ${spec.limit} ${spec.unit} (${unit})`,
      met: s ? s.median < spec.limit : undefined,
      shown: s ? `${plain(s)} ${spec.unit}` : "not measured",
    };
  }
  const raw = rawOf(all, row);
  const floor = raw ? values(raw.id, spec.metric) : [];
  const mine = values(row.id, spec.metric);
  const gaps = mine.flatMap((x, i) =>
    x !== undefined && floor[i] !== undefined ? [x - floor[i]!] : []
  );
  const s = spread(gaps);
  return {
    name: `<= raw + ${spec.plus} ${spec.unit} (${unit})`,
    met: s ? s.median <= spec.plus : undefined,
    shown: s ? `raw + ${plain(s)} ${spec.unit}` : "not measured",
  };
}

/** Every target of every row, named by row. */
export function evaluateTargets(all: readonly Row[], values: Values) {
  return all.flatMap((row) =>
    (row.targets ?? []).map((spec) => {
      const result = judge(all, row, spec, values);
      return { ...result, name: `${row.label} [${row.runtime}]: ${result.name}` };
    })
  );
}

/** "met" / "not met" / "not measured". */
export function verdict(met?: boolean): string {
  return met === undefined ? "not measured" : met ? "met" : "not met";
}
