import Database from 'better-sqlite3';

export interface LatencyResult {
  workload: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  target: string;
  /** p95 of the same run's baseline (the HTTP stack answering GET /health/live), when measured. */
  baselineP95Ms?: number;
  /** p95 ÷ baselineP95Ms: how many times the stack's own cost the query adds up to. */
  ratio?: number;
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
};

export type Measure = (
  workload: string,
  target: string,
  count: number,
  url: () => string,
) => Promise<LatencyResult>;

export interface Injectable {
  inject(request: {
    method: 'GET';
    url: string;
    headers: Record<string, string>;
  }): Promise<{ statusCode: number; body: string }>;
}

/**
 * Times GET requests through the whole HTTP stack (in-process injection, no network): the
 * first 20 warm caches and JIT and are not counted. The baseline of the same run is the stack
 * answering GET /health/live (routing, guards, serialisation, no query), measured first, so
 * every p95 is printed beside it and as a ratio to it: a loaded machine slows both alike.
 */
export async function latencyMeter(
  http: Injectable,
  headers: Record<string, string>,
  say: (line: string) => void,
): Promise<{ measure: Measure; baseline: LatencyResult }> {
  const time = async (workload: string, target: string, count: number, url: () => string) => {
    const times: number[] = [];
    for (let i = 0; i < count + 20; i++) {
      const started = performance.now();
      const response = await http.inject({ method: 'GET', url: url(), headers });
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200)
        throw new Error(`${workload}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (i >= 20) times.push(elapsed);
    }
    return { workload, requests: count, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), target };
  };
  const baseline = await time(
    'baseline: GET /health/live through the same stack',
    '-',
    300,
    () => '/health/live',
  );
  say(`  ${baseline.workload}: p50 ${baseline.p50Ms} ms, p95 ${baseline.p95Ms} ms`);
  const measure: Measure = async (workload, target, count, url) => {
    const timed = await time(workload, target, count, url);
    const result = {
      ...timed,
      baselineP95Ms: baseline.p95Ms,
      ratio: Math.round((timed.p95Ms / Math.max(baseline.p95Ms, 0.01)) * 10) / 10,
    };
    say(
      `  ${workload}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (target ${target}; ${result.ratio}× the stack's baseline p95 ${baseline.p95Ms} ms)`,
    );
    return result;
  };
  return { measure, baseline };
}

/** The latency table of a section, with the baseline and the ratio where measured. */
export const latencyRows = (latencies: LatencyResult[]) =>
  latencies.map((l) => ({
    workload: l.workload,
    requests: l.requests,
    'p50 ms': l.p50Ms,
    'p95 ms': l.p95Ms,
    target: l.target,
    'baseline p95 ms': l.baselineP95Ms ?? '-',
    'p95 ÷ baseline': l.ratio ?? '-',
  }));

/** The raw SQLite read rate of a database file: every row of `table` read and counted by the bare driver. */
export function rawSqliteReadRate(file: string, table: string): number {
  const raw = new Database(file, { readonly: true });
  try {
    const started = performance.now();
    let rows = 0;
    for (const _ of raw.prepare(`SELECT * FROM ${table}`).iterate()) rows += 1;
    return Math.round(rows / ((performance.now() - started) / 1000));
  } finally {
    raw.close();
  }
}
