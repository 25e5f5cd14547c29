import { join } from 'node:path';
import { mulberry32 } from '@ledger/ledger/participants/synthetic-people';
import { signToken } from '@ledger/platform/auth/jwt';
import { AUDIT_PAGE_MAX } from '@ledger/read-models/audit/audit.query';
import { ledgerProjections } from '@ledger/read-models/projections';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { createApp } from '../../../api/src/create-app';
import { benchLedger } from './bench-ledger';
import { latencyMeter, percentile, rawSqliteReadRate, type Injectable, type LatencyResult } from './latency';

export interface AuditBench {
  events: number;
  auditRows: number;
  /** Bare-driver read of every audit_trail row of the read database, same run. */
  rawReadRowsPerSecond: number;
  latencies: LatencyResult[];
}

/**
 * `bench --only audit`, embedded mode: the audit trail (the query behind GET /api/audit and
 * the CLI's `audit`) through the HTTP stack: one actor's month (first page of 100), a
 * regency's year as its first page of 1,000, as the whole result walked page by page with the
 * cursor (pages of 10,000, as exports and the CLI read), and as the oversight summary per
 * actor and month. Every p95 beside the stack's own (GET /health/live) of the same run.
 */
export async function runAuditBench(
  participants: number,
  ledgerDir: string | undefined,
  say: (line: string) => void,
): Promise<AuditBench> {
  const ledger = await benchLedger(participants, ledgerDir, say, {});
  let runtime: LedgerRuntime | undefined;
  try {
    runtime = await openRuntime(ledger.config, { projections: ledgerProjections() });
    await runtime.runner.catchUp();
    const rawReadRowsPerSecond = rawSqliteReadRate(join(ledger.dir, 'read.db'), 'audit_trail');
    const db = runtime.read.query;
    const auditRows = Number(
      (
        await db
          .selectFrom('audit_trail')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    say(
      `  audit trail: ${auditRows} rows; raw SQLite read of them (bare driver): ${rawReadRowsPerSecond} rows/s`,
    );
    const app = await createApp(runtime);
    await app.init();
    try {
      const http = app.getHttpAdapter().getInstance();
      const token = await signToken(runtime.secrets.jwtSecret, {
        sub: 'bench',
        role: 'auditor',
        regions: ['ID'],
        ttlSeconds: 3600,
      });
      const headers = { authorization: `Bearer ${token}` };
      const { measure, baseline } = await latencyMeter(http, headers, say);
      const random = mulberry32(13);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
      const actors = (
        await db.selectFrom('audit_trail').select('actor_id').distinct().limit(1000).execute()
      ).map((r) => r.actor_id);
      const months = [
        ...new Set((await db.selectFrom('audit_days').select('day').execute()).map((r) => r.day.slice(0, 7))),
      ];
      const regencies = (
        await db
          .selectFrom('audit_trail')
          .select('regency')
          .distinct()
          .where('regency', 'is not', null)
          .execute()
      ).map((r) => r.regency as string);
      if (actors.length === 0 || months.length === 0 || regencies.length === 0) {
        say('  audit trail: empty; not measured');
        return { events: ledger.events(), auditRows, rawReadRowsPerSecond, latencies: [] };
      }
      const monthRange = () => {
        const month = pick(months);
        return `from=${month}-01&to=${month}-31`;
      };
      const yearRange = () => {
        const y = pick(months).slice(0, 4);
        return `from=${y}-01-01&to=${y}-12-31`;
      };
      const latencies = [
        baseline,
        await measure('audit trail: one actor, one month (first page of 100)', 'p95 ≤ 20 ms', 300, () => {
          return `/api/audit?actor=${encodeURIComponent(pick(actors))}&${monthRange()}`;
        }),
        await measure('audit trail: a regency, one year (first page of 1,000)', 'p95 ≤ 200 ms', 100, () => {
          return `/api/audit?region=${pick(regencies)}&${yearRange()}&limit=1000`;
        }),
        await measure('audit summary: a regency, one year, per actor and month', 'p95 ≤ 200 ms', 100, () => {
          return `/api/audit/summary?by=actor&region=${pick(regencies)}&${yearRange()}`;
        }),
        await wholeYear(http, headers, pick, regencies, yearRange, baseline.p95Ms, say),
      ];
      return { events: ledger.events(), auditRows, rawReadRowsPerSecond, latencies };
    } finally {
      await app.close();
    }
  } finally {
    await runtime?.close();
    ledger.dispose();
  }
}

/** A regency's whole year: every page, following the cursor, timed from the first request to the last. */
async function wholeYear(
  http: Injectable,
  headers: Record<string, string>,
  pick: <T>(items: readonly T[]) => T,
  regencies: string[],
  yearRange: () => string,
  baselineP95Ms: number,
  say: (line: string) => void,
): Promise<LatencyResult> {
  const times: number[] = [];
  let rows = 0;
  let pages = 0;
  const count = 30;
  for (let i = 0; i < count + 3; i++) {
    const base = `/api/audit?region=${pick(regencies)}&${yearRange()}&limit=${AUDIT_PAGE_MAX}`;
    const started = performance.now();
    let after: number | null = null;
    let read = 0;
    do {
      const response = await http.inject({
        method: 'GET',
        url: after === null ? base : `${base}&after=${after}`,
        headers,
      });
      if (response.statusCode !== 200)
        throw new Error(`audit whole year: ${response.statusCode} ${response.body.slice(0, 200)}`);
      const body = JSON.parse(response.body) as { entries: unknown[]; nextCursor: number | null };
      read += body.entries.length;
      if (i >= 3) pages += 1;
      after = body.nextCursor;
    } while (after !== null);
    if (i >= 3) {
      times.push(performance.now() - started);
      rows += read;
    }
  }
  const p95Ms = percentile(times, 95);
  const result: LatencyResult = {
    workload: `audit trail: a regency, one year, the whole result (${Math.round(rows / count)} actions in ${Math.round((pages / count) * 10) / 10} pages on average)`,
    requests: count,
    p50Ms: percentile(times, 50),
    p95Ms,
    target: '≤ 200 ms',
    baselineP95Ms: baselineP95Ms,
    ratio: Math.round((p95Ms / Math.max(baselineP95Ms, 0.01)) * 10) / 10,
  };
  say(
    `  ${result.workload}: p50 ${result.p50Ms} ms, p95 ${p95Ms} ms (target ≤ 200 ms; ${result.ratio}× the stack's baseline)`,
  );
  return result;
}
