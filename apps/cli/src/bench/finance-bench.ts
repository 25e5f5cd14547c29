import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { loadDues } from '@ledger/ledger/contributions/dues.load';
import { currentInvoice } from '@ledger/ledger/contributions/dues.state';
import { monthOf } from '@ledger/ledger/contributions/obligation';
import { mulberry32 } from '@ledger/ledger/participants/synthetic-people';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { signToken } from '@ledger/platform/auth/jwt';
import { loadConfig } from '@ledger/platform/config';
import { ledgerProjections } from '@ledger/read-models/projections';
import { programRows } from '@ledger/read-models/programs/programs.query';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { sweepPrograms } from '@ledger/runtime/commands';
import { createApp } from '../../../api/src/create-app';
import { generateInto } from '../commands/generate';
import { depsOf, seedContext } from '../seed/seed-ledger';
import { seedRoster } from '../seed/seed-dues';
import { latencyMeter, percentile as p, type Injectable, type LatencyResult } from './latency';

export interface FinanceWrite {
  workload: string;
  seconds: number;
  /** Events written; for the freeze, lines frozen. */
  events: number;
  eventsPerSecond: number;
  target: string;
  detail: string;
}

export interface FinanceBench {
  participants: number;
  events: number;
  rawWriteRowsPerSecond: number;
  writes: FinanceWrite[];
  latencies: LatencyResult[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
};

/**
 * The raw SQLite write rate of this machine in this run: rows shaped like the log's (a
 * stream, a type, JSON data and metadata) inserted in one transaction by the bare driver,
 * synchronous=full as the ledger writes.
 */
function rawSqliteWriteRate(rows = 200_000): number {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-raw-write-'));
  try {
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT, revision INTEGER, type TEXT, data TEXT, metadata TEXT)',
    );
    const insert = db.prepare(
      'INSERT INTO events (stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)',
    );
    const metadata = JSON.stringify({
      eventId: 'x'.repeat(36),
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    });
    const started = performance.now();
    db.transaction(() => {
      for (let i = 0; i < rows; i++)
        insert.run(
          `enrollment-${i}`,
          0,
          'CoverageLapsed',
          JSON.stringify({ enrollmentId: `e${i}`, n: i }),
          metadata,
        );
    })();
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return Math.round(rows / seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `bench --only finance`, embedded mode: on a generated ledger with a year of monthly dues
 * (`generate --dues`), the freeze of the current month's invoices for every program, the
 * finance summary and a program's months through the HTTP stack (p95), and the lapse sweep
 * over every participant (then its rerun, which must find nothing) — each beside the raw
 * SQLite write rate of the same run.
 */
export async function runFinanceBench(
  participants: number,
  ledgerDir: string | undefined,
  say: (line: string) => void,
): Promise<FinanceBench> {
  const dir = ledgerDir ?? mkdtempSync(join(tmpdir(), 'ledger-finance-bench-'));
  const fresh = !ledgerDir || !existsSync(join(dir, 'ledger.db'));
  const config = loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  let runtime: LedgerRuntime | undefined;
  try {
    if (fresh) {
      say(`  generating ${participants} participants and their year of dues into ${dir} …`);
      await generateInto(config, participants, undefined, 1, { dues: true, sp2d: true });
    } else await addTreasury(config, say);
    const rawWriteRowsPerSecond = rawSqliteWriteRate();
    say(
      `  raw SQLite write (bare driver, one transaction, synchronous=full): ${rawWriteRowsPerSecond} rows/s`,
    );
    runtime = await openRuntime(config, { projections: ledgerProjections() });
    await runtime.runner.catchUp();
    const deps = depsOf(runtime);
    const ctx = seedContext('bench');
    const today = todayInIndonesia(new Date());
    const month = monthOf(today);
    const programs = await programRows(runtime.read.query);
    const writes: FinanceWrite[] = [];
    const record = (workload: string, seconds: number, events: number, target: string, detail: string) => {
      const w = {
        workload,
        seconds: Math.round(seconds * 100) / 100,
        events,
        eventsPerSecond: Math.round(events / Math.max(seconds, 1e-6)),
        target,
        detail,
      };
      writes.push(w);
      say(
        `  ${workload}: ${w.seconds} s, ${events} written, ${w.eventsPerSecond}/s (raw SQLite write ${rawWriteRowsPerSecond} rows/s, ratio ${w.eventsPerSecond > 0 ? Math.round((rawWriteRowsPerSecond / w.eventsPerSecond) * 100) / 100 : '-'}; ${detail}; target ${target})`,
      );
    };

    // Freeze the current month for every program (left unissued by the generator).
    const open = [];
    for (const p of programs)
      if (
        p.period_from <= `${month}-31` &&
        p.period_to >= `${month}-01` &&
        !currentInvoice((await loadDues(deps, p.id, month)).state)
      )
        open.push(p.id);
    if (open.length === 0)
      say(`  freeze: every program's ${month} is issued already on this ledger; not measured`);
    else {
      const roster = seedRoster(runtime);
      await runtime.runner.catchUp();
      const before = await runtime.store.headPosition();
      const started = performance.now();
      let lines = 0;
      for (const id of open) {
        await issueInvoice(deps, ctx, id, { month }, roster);
        lines += currentInvoice((await loadDues(deps, id, month)).state)!.activeLineCount;
      }
      const seconds = (performance.now() - started) / 1000;
      const events = (await runtime.store.headPosition()) - before;
      // Counted in lines frozen (per second): one event carries up to 5,000 of them.
      record(
        `freeze ${month}'s invoices, all programs (lines frozen)`,
        seconds,
        lines,
        '≤ 10 s',
        `${open.length} invoices in ${events} events`,
      );
    }
    await runtime.runner.catchUp();

    // The lapse sweep over every participant, then its rerun for the same day.
    for (const run of ['lapse sweep, all programs', 'lapse sweep rerun, same day']) {
      const before = await runtime.store.headPosition();
      const started = performance.now();
      const results = await sweepPrograms(runtime, deps, { asOf: today });
      const seconds = (performance.now() - started) / 1000;
      const lapses = results.reduce((n, r) => n + r.lapses.length, 0);
      record(
        run,
        seconds,
        (await runtime.store.headPosition()) - before,
        '≤ 10 s',
        `${results.length} programs, ${lapses} lapses`,
      );
    }
    await runtime.runner.catchUp();

    const app = await createApp(runtime);
    await app.init();
    const http = app.getHttpAdapter().getInstance();
    const token = await signToken(runtime.secrets.jwtSecret, {
      sub: 'bench',
      role: 'finance',
      regions: ['ID'],
      ttlSeconds: 3600,
    });
    const headers = { authorization: `Bearer ${token}` };
    const random = mulberry32(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const year = today.slice(0, 4);
    const days = [`${year}-03-31`, `${year}-06-30`, `${year}-09-30`, today];
    const regions = [
      'ID',
      ...new Set(programs.map((p) => p.owner_region.slice(0, 2))),
      ...programs.map((p) => p.owner_region),
    ];
    const measure = async (workload: string, target: string, count: number, url: () => string) => {
      const times: number[] = [];
      for (let i = 0; i < count + 20; i++) {
        const started = performance.now();
        const response = await http.inject({ method: 'GET', url: url(), headers });
        const elapsed = performance.now() - started;
        if (response.statusCode !== 200)
          throw new Error(`${workload}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        if (i >= 20) times.push(elapsed);
      }
      const result = {
        workload,
        requests: count,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        target,
      };
      say(
        `  ${workload}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (target ${target}; raw SQLite write ${rawWriteRowsPerSecond} rows/s)`,
      );
      return result;
    };
    const latencies = [
      await measure(
        'finance summary (a region of every level, a year, asOf)',
        'p95 ≤ 20 ms',
        200,
        () => `/api/finance/summary?region=${pick(regions)}&year=${year}&asOf=${pick(days)}`,
      ),
      await measure(
        "a program's months (asOf)",
        'p95 ≤ 20 ms',
        300,
        () => `/api/finance/programs/${pick(programs).id}/months?asOf=${pick(days)}`,
      ),
      ...(await reconciliationLatencies(http, headers, programs, Number(year), say)),
    ];
    await app.close();
    const counted = new Database(join(dir, 'ledger.db'), { readonly: true });
    const events = (counted.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const covered = (
      counted.prepare("SELECT count(*) AS n FROM events WHERE type = 'EnrollmentApproved'").get() as {
        n: number;
      }
    ).n;
    counted.close();
    return { participants: covered, events, rawWriteRowsPerSecond, writes, latencies };
  } finally {
    await runtime?.close();
    if (!ledgerDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** SP2D for the invoices of a reused ledger that has none yet (idempotent per program). */
async function addTreasury(config: ReturnType<typeof loadConfig>, say: (line: string) => void) {
  const added = await generateInto(config, 0, undefined, undefined, { sp2d: true });
  if (added.sp2d > 0) say(`  added ${added.sp2d} SP2D linked to the invoices of the year`);
}

/**
 * The three-way match (GET /api/reconciliation) on the year's invoices and their SP2D: one
 * payer's month, a program's year of all its payers, and the year of every program and payer
 * one after another (the whole regency-by-regency year end), each beside the stack's own
 * p95 (GET /health/live) of the same run.
 */
async function reconciliationLatencies(
  http: Injectable,
  headers: Record<string, string>,
  programs: { id: string; payer: string }[],
  year: number,
  say: (line: string) => void,
): Promise<LatencyResult[]> {
  const { measure, baseline } = await latencyMeter(http, headers, say);
  const random = mulberry32(19);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const months = Array.from({ length: 11 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const month = await measure("reconciliation: one payer's month", 'p95 ≤ 50 ms', 300, () => {
    const program = pick(programs);
    return `/api/reconciliation?program=${program.id}&payer=${encodeURIComponent(program.payer)}&month=${pick(months)}`;
  });
  const programYear = await measure("reconciliation: a program's year, all payers", '-', 100, () => {
    return `/api/reconciliation?program=${pick(programs).id}&year=${year}`;
  });
  const sweeps: number[] = [];
  let disbursed = 0;
  for (let run = 0; run < 6; run++) {
    const started = performance.now();
    for (const program of programs) {
      const response = await http.inject({
        method: 'GET',
        url: `/api/reconciliation?program=${program.id}&year=${year}`,
        headers,
      });
      if (response.statusCode !== 200)
        throw new Error(`reconciliation year: ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (run === 0) disbursed += (JSON.parse(response.body) as { disbursed: number }).disbursed;
    }
    if (run > 0) sweeps.push(performance.now() - started); // the first run warms up
  }
  const worst = p(sweeps, 100);
  const all: LatencyResult = {
    workload: `reconciliation: the year of all payers (${programs.length} programs in turn; Rp${disbursed.toLocaleString('en')} disbursed)`,
    requests: sweeps.length,
    p50Ms: p(sweeps, 50),
    p95Ms: worst,
    target: '≤ 2 s',
    baselineP95Ms: baseline.p95Ms,
    ratio: Math.round((worst / Math.max(baseline.p95Ms, 0.01)) * 10) / 10,
  };
  say(`  ${all.workload}: median ${all.p50Ms} ms, slowest of ${sweeps.length} ${worst} ms (target ≤ 2 s)`);
  return [baseline, month, programYear, all];
}
