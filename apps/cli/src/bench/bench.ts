import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, table } from '../cli-error';
import { runAuditBench, type AuditBench } from './audit-bench';
import { runBigImportBench, type BigImportBench } from './big-import-bench';
import { runClaimsBench, type ClaimsBench } from './claims-bench';
import { runExportBench, type ExportBench } from './export-bench';
import { runFinanceBench, type FinanceBench } from './finance-bench';
import { runHostileBench, type HostileBench } from './hostile-bench';
import { runImportBench } from './import-bench';
import { runIntegrityBench, type IntegrityBench } from './integrity-bench';
import { latencyRows } from './latency';
import { runQueryBench } from './query-bench';
import { runTreasuryBench, type TreasuryBench } from './treasury-bench';
import {
  FULL,
  QUICK,
  SQLITE_SYNC_SETTINGS,
  postgresUnderTest,
  sqliteName,
  runStoreBench,
  sqliteUnderTest,
  type BenchResult,
} from './store-bench';

/**
 * `npm run bench`: every reachable store against its raw driver, in one run. Prints a
 * table, then one last line of JSON for tools.
 */
export async function benchCommand(values: {
  quick?: boolean;
  stores?: string;
  only?: string;
  participants?: string;
  ledger?: string;
  claims?: string;
  /** false with --no-rebuild: the query section leaves out its full rebuild. */
  rebuild?: boolean;
}): Promise<void> {
  const sizes = values.quick ? QUICK : FULL;
  const wanted = (values.stores ?? 'sqlite,postgres,kurrentdb').split(',').map((s) => s.trim());
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const results: BenchResult[] = [];
  const sections = (values.only ?? 'store,import,queries,audit').split(',').map((s) => s.trim());
  const participants = Number(values.participants ?? (values.quick ? 20_000 : 1_000_000));
  if (!Number.isInteger(participants) || participants < 1)
    throw new CliError('bench: --participants must be a whole number');
  const claims = Number(values.claims ?? (values.quick ? 200 : 10_000));
  if (!Number.isInteger(claims) || claims < 1 || claims > 100_000)
    throw new CliError('bench: --claims must be a whole number from 1 to 100,000');
  // The read-side sections measure one ledger: the one given, or one generated for this run
  // (by the first of them) and removed at the end.
  const readSections = ['queries', 'audit', 'claims'].filter((s) => sections.includes(s));
  const sharedLedger =
    values.ledger ?? (readSections.length > 1 ? mkdtempSync(join(tmpdir(), 'ledger-bench-')) : undefined);
  const ledgerNote = values.ledger
    ? `the ledger in ${values.ledger} (generated there if empty: ${participants} participants)`
    : `${participants} participants`;

  let hostile: HostileBench | undefined;
  if (sections.includes('hostile')) {
    say('hostile: uploads and a large download against the API process, /health polled meanwhile');
    hostile = await runHostileBench(say, values.quick ? 100_000 : undefined);
    process.stdout.write(
      `${table(hostile.requests.map((r) => ({ workload: r.workload, status: r.status, rule: r.rule || '-', seconds: Math.round(r.seconds * 10) / 10, 'MB answered': Math.round(r.bytes / 1e5) / 10 })))}\n` +
        `/health: ${hostile.healthPolls} polls, slowest ${hostile.healthMaxMs} ms (target < 1000), ${hostile.healthFailures} not 200; longest event-loop delay in the API ${hostile.eventLoopMaxMs} ms\n` +
        `API RSS: ${hostile.rssBeforeMb} MB → peak ${hostile.rssPeakMb} MB, growth ${hostile.rssGrowthMb} MB (target < 512)\n\n`,
    );
  }
  let exports: ExportBench[] | undefined;
  if (sections.includes('exports')) {
    const rows = values.quick ? 20_000 : 200_000;
    say(`exports: a ${rows.toLocaleString('en')}-line history as CSV and XLSX, streamed to a slow client`);
    exports = await runExportBench(rows);
    process.stdout.write(`${table(exports.map((e) => ({ ...e })))}

`);
  }
  let bigImport: BigImportBench | undefined;
  if (sections.includes('big-import')) {
    const rows = values.participants ? participants : values.quick ? 20_000 : 1_000_000;
    say(
      `big-import: a genuine ${rows.toLocaleString('en')}-row list uploaded to the API process, /health polled meanwhile`,
    );
    bigImport = await runBigImportBench(rows, say);
    process.stdout.write(
      `big import: ${bigImport.status}, ${bigImport.accepted} of ${bigImport.rows} rows accepted (${bigImport.fileMb} MB) in ${bigImport.seconds} s, ${bigImport.rowsPerSecond} rows/s\n` +
        `/health: ${bigImport.healthPolls} polls, slowest ${bigImport.healthMaxMs} ms (target < 1000), ${bigImport.healthFailures} not 200; longest event-loop delay in the API ${bigImport.eventLoopMaxMs} ms\n` +
        `API RSS: ${bigImport.rssBeforeMb} MB → peak ${bigImport.rssPeakMb} MB, growth ${bigImport.rssGrowthMb} MB\n\n`,
    );
  }
  for (const synchronous of sections.includes('import') ? SQLITE_SYNC_SETTINGS : []) {
    say(`import: embedded mode, synchronous=${synchronous}`);
    results.push(await runImportBench(values.quick ? 10_000 : 100_000, say, synchronous));
  }
  for (const synchronous of sections.includes('store') && wanted.includes('sqlite')
    ? SQLITE_SYNC_SETTINGS
    : []) {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
    say(`${sqliteName(synchronous)}: ${dir}`);
    const target = await sqliteUnderTest(dir, synchronous);
    try {
      results.push(...(await runStoreBench(target, sizes, say)));
    } finally {
      await target.baseline.close();
      await target.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (sections.includes('store') && wanted.includes('postgres')) {
    if (!process.env.DATABASE_URL) say('postgres: not measured — DATABASE_URL is not set');
    else {
      say('postgres: measuring');
      const target = await postgresUnderTest(process.env.DATABASE_URL);
      try {
        results.push(...(await runStoreBench(target, sizes, say)));
      } finally {
        await target.baseline.close();
        await target.dispose();
      }
    }
  }
  if (sections.includes('store') && wanted.includes('kurrentdb')) {
    say(
      process.env.KURRENTDB_URL
        ? 'kurrentdb: not measured — the bench has no raw-client baseline for KurrentDB yet'
        : 'kurrentdb: not measured — KURRENTDB_URL is not set',
    );
  }

  let integrity: IntegrityBench | undefined;
  if (sections.includes('integrity')) {
    const events = values.participants ? participants : values.quick ? 100_000 : 1_000_000;
    say(
      `integrity: hashing at append against the same stores without it; verify of ${events.toLocaleString('en')} events; proofs`,
    );
    integrity = await runIntegrityBench(values.quick ?? false, events, say);
    results.push(...integrity.results);
    const v = integrity.verify;
    process.stdout.write(
      `verify: ${v.events} events on ${v.threads} threads in ${v.seconds} s, ${v.eventsPerSecond} events/s (target ${v.target}); ` +
        `${v.cpuSeconds} CPU s, ${v.eventsPerCpuSecond} events per CPU second; ` +
        `same run: row by row ${v.rowByRowEventsPerSecond} events/s, a plain read of every row ${v.rawReadRowsPerSecond} rows/s\n` +
        `${table(integrity.latencies.map((l) => ({ workload: l.workload, requests: l.requests, 'p50 ms': l.p50Ms, 'p95 ms': l.p95Ms, target: l.target })))}\n\n`,
    );
  }

  let queries: Awaited<ReturnType<typeof runQueryBench>> | undefined;
  if (sections.includes('queries')) {
    say(`queries: embedded mode, ${ledgerNote}`);
    queries = await runQueryBench(participants, sharedLedger, say, { rebuild: values.rebuild });
    if (queries.rebuild)
      results.push({
        store: 'sqlite',
        workload: 'full rebuild of every read model',
        events: queries.events,
        eventsPerSecond: queries.rebuild.eventsPerSecond,
        baselineEventsPerSecond: queries.rebuild.rawReadRowsPerSecond,
        ratio:
          Math.round((queries.rebuild.eventsPerSecond / queries.rebuild.rawReadRowsPerSecond) * 1000) / 1000,
      });
    process.stdout.write(`${table(latencyRows(queries.latencies))}\n\n`);
  }

  let audit: AuditBench | undefined;
  if (sections.includes('audit')) {
    say(`audit: embedded mode, ${ledgerNote}`);
    audit = await runAuditBench(participants, sharedLedger, say);
    process.stdout.write(
      `audit: ${audit.auditRows} actions in the trail, ${audit.events} events; raw SQLite read of the trail ${audit.rawReadRowsPerSecond} rows/s\n` +
        `${table(latencyRows(audit.latencies))}\n\n`,
    );
  }

  let claimsBench: ClaimsBench | undefined;
  if (sections.includes('claims')) {
    say(`claims: embedded mode, ${ledgerNote}, with ${claims} claims`);
    claimsBench = await runClaimsBench(participants, claims, sharedLedger, say);
    process.stdout.write(
      `claims: ${claimsBench.claims} claims, ${claimsBench.events} events; raw SQLite read of the claims ${claimsBench.rawReadRowsPerSecond} rows/s\n` +
        `${table(latencyRows(claimsBench.latencies))}\n\n`,
    );
  }
  if (sharedLedger && !values.ledger) rmSync(sharedLedger, { recursive: true, force: true });

  let finance: FinanceBench | undefined;
  if (sections.includes('finance')) {
    say(
      `finance: embedded mode, ${values.ledger ? `the ledger in ${values.ledger} (generated there with its dues if empty: ${participants} participants)` : `${participants} participants with a year of dues`}`,
    );
    finance = await runFinanceBench(participants, values.ledger, say);
    for (const w of finance.writes) {
      results.push({
        store: 'sqlite',
        workload: `${w.workload} (${w.detail}; ${w.seconds} s)`,
        events: w.events,
        eventsPerSecond: w.eventsPerSecond,
        baselineEventsPerSecond: finance.rawWriteRowsPerSecond,
        // A run that writes nothing (the rerun) has no write rate to compare.
        ratio:
          w.eventsPerSecond > 0
            ? Math.round((finance.rawWriteRowsPerSecond / w.eventsPerSecond) * 100) / 100
            : null,
      });
    }
    process.stdout.write(
      `finance: ${finance.participants} participants, ${finance.events} events; raw SQLite write ${finance.rawWriteRowsPerSecond} rows/s\n` +
        `${table(latencyRows(finance.latencies))}\n\n`,
    );
  }

  let treasury: TreasuryBench[] | undefined;
  if (sections.includes('treasury')) {
    const rows = values.quick ? 2_000 : 10_000;
    say(`treasury: a ${rows.toLocaleString('en')}-row SP2D export imported, then uploaded again`);
    treasury = await runTreasuryBench(rows, say, wanted);
    process.stdout.write(
      `${table(treasury.map((t) => ({ store: t.store, rows: t.rows, 'import s': t.firstSeconds, events: t.firstEvents, 're-upload s': t.rerunSeconds, 'parse alone s': t.parseSeconds, 'raw insert s': t.rawInsertSeconds, 'import ÷ raw insert': Math.round((t.firstSeconds / t.rawInsertSeconds) * 10) / 10, target: t.target })))}\n\n`,
    );
  }

  process.stdout.write(
    `${table(
      results.map((r) => ({
        store: r.store,
        workload: r.workload,
        events: r.events,
        'events/s': r.eventsPerSecond,
        'raw events/s': r.baselineEventsPerSecond ?? '-',
        ratio: r.ratio ?? '-',
      })),
    )}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      results: results.map(({ store, workload, eventsPerSecond, baselineEventsPerSecond, ratio }) => ({
        store,
        workload,
        eventsPerSecond,
        baselineEventsPerSecond,
        ratio,
      })),
      ...(queries ? { latencies: queries.latencies } : {}),
      ...(audit ? { audit } : {}),
      ...(claimsBench ? { claims: claimsBench } : {}),
      ...(finance ? { finance } : {}),
      ...(treasury ? { treasury } : {}),
      ...(hostile ? { hostile } : {}),
      ...(bigImport ? { bigImport } : {}),
      ...(exports ? { exports } : {}),
      ...(integrity ? { integrity: { verify: integrity.verify, latencies: integrity.latencies } } : {}),
    })}\n`,
  );
}
