import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { importNominations } from '@ledger/ledger/enrollment/import/upload/upload.handler';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { regions } from '@ledger/ledger/regions/region-directory';
import { defaults, depsOf, nominationCsv, peopleFor, seedContext } from '../seed/seed-ledger';
import type { SqliteSynchronous } from '@ledger/event-store';
import { sqliteName, type BenchResult } from './store-bench';

/**
 * Importing a nomination list in embedded mode, from the uploaded bytes until every read
 * model has caught up, beside a raw baseline: the same CSV parsed and its rows inserted into
 * a plain SQLite table in one transaction.
 */
export async function runImportBench(
  rows: number,
  say: (line: string) => void,
  synchronous: SqliteSynchronous = 'full',
): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-import-bench-'));
  const env = { LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: synchronous };
  const runtime = await openRuntime(loadConfig(env), {
    projections: ledgerProjections(),
  });
  try {
    const deps = depsOf(runtime);
    const ctx = seedContext('bench');
    const regency = '1603';
    const { programId } = await establishProgram(
      deps,
      ctx,
      {
        ...defaults,
        name: 'Bench import',
        ownerRegion: regency,
        payer: 'Bench',
        period: { from: '2026-01-01', to: '2026-12-31' },
        quota: rows,
      },
      // A period already under way is recorded as earlier records brought in.
      { reason: 'migration', note: null },
    );
    await runtime.runner.catchUp();
    // As in `npm start`: the projections follow the log on their own thread during the import.
    runtime.startProjections();
    const content = nominationCsv(peopleFor(99, '2026-01-01'), {
      villages: regions().villagesOf(regency),
      count: rows,
    });

    const started = performance.now();
    const summary = await importNominations(deps, ctx, programId, {
      content,
      fileName: 'usulan.csv',
      contentType: 'text/csv',
    });
    const imported = performance.now();
    const names = runtime.runner.projections.map((p) => p.name);
    if (!(await runtime.runner.waitFor(names, summary.consistencyToken, 120_000)))
      say('  warning: read models did not catch up');
    const seconds = (performance.now() - started) / 1000;
    if (summary.accepted !== rows) say(`  warning: ${summary.accepted} of ${rows} rows accepted`);
    say(
      `  sqlite import ${rows} CSV rows: ${seconds.toFixed(2)} s upload → read models caught up ` +
        `(import ${((imported - started) / 1000).toFixed(2)} s, then projections ${((performance.now() - imported) / 1000).toFixed(2)} s more)`,
    );

    const raw = new Database(join(dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    raw.exec(
      'CREATE TABLE nominations (nik TEXT PRIMARY KEY, name TEXT, sex TEXT, birth_date TEXT, occupation TEXT, village TEXT, phone TEXT)',
    );
    const insert = raw.prepare('INSERT INTO nominations VALUES (?, ?, ?, ?, ?, ?, ?)');
    const rawStarted = performance.now();
    const records = parse(content, { delimiter: ';', from_line: 2 }) as string[][];
    raw.transaction(() => {
      for (const r of records) insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
    })();
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    raw.close();
    say(`  raw CSV parse + insert of the same rows: ${rawSeconds.toFixed(2)} s`);
    return {
      store: sqliteName(synchronous),
      workload: `import ${rows} CSV rows (upload → read models)`,
      events: rows,
      eventsPerSecond: Math.round(rows / seconds),
      baselineEventsPerSecond: Math.round(rows / rawSeconds),
      ratio: Math.round((rawSeconds / seconds) * 1000) / 1000,
    };
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
