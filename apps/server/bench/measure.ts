/** Timing helpers for the benchmarks: run a query shape many times and summarise the latencies (ms). */

export interface Summary {
  n: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    meanMs: round(mean),
    maxMs: round(sorted.at(-1) ?? NaN),
  };
}

/**
 * Runs `run(i)` for `warmup` untimed and then `iterations` timed rounds, one at a time (latency, not
 * throughput). `check` sees every timed result, so a query that silently returns nothing fails the bench.
 */
export async function measure<T>(
  iterations: number,
  warmup: number,
  run: (i: number) => Promise<T>,
  check?: (result: T, i: number) => void,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run(iterations + i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    const result = await run(i);
    samples.push(performance.now() - started);
    check?.(result, i);
  }
  return samples;
}
