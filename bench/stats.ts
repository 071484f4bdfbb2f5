/** Median, min and max of repeated measurements. */

/** A figure over its runs. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** The spread of `values`; undefined when there are none. */
export function spread(values: readonly number[]): Spread | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Ratios run by run: `numerator[i] / denominator[i]` where both exist. */
export function ratios(
  numerator: readonly (number | undefined)[],
  denominator: readonly (number | undefined)[],
): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(numerator.length, denominator.length); i++) {
    const a = numerator[i];
    const b = denominator[i];
    if (a !== undefined && b !== undefined && b > 0) out.push(a / b);
  }
  return out;
}

/** The result line of a latency scenario: p50, p99 and max of `latencies` (ms), all of `total` arrived. */
export function latencyReport(
  client: string,
  latencies: number[],
  total: number,
  ratePerSec: number,
): Record<string, unknown> {
  if (latencies.length < total) throw new Error(`only ${latencies.length} of ${total} arrived`);
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    scenario: "latency",
    client,
    messages: total,
    ratePerSec,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1],
  };
}
