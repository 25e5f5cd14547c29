import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { importSp2d } from '@ledger/ledger/treasury/import-sp2d/import-sp2d.handler';
import { parseSp2dFile } from '@ledger/ledger/treasury/import-sp2d/sp2d-file';
import { recordSpm } from '@ledger/ledger/treasury/record-spm/record-spm.handler';
import { recordSpp } from '@ledger/ledger/treasury/record-spp/record-spp.handler';
import { setBudgetLine } from '@ledger/ledger/treasury/set-budget-line/set-budget-line.handler';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { depsOf, defaults, seedContext } from '../seed/seed-ledger';

export interface TreasuryBench {
  store: 'sqlite' | 'postgres';
  rows: number;
  /** The same file read into rows, nothing decided or written. */
  parseSeconds: number;
  /** The events of the first upload inserted by the bare driver into a table of the same store. */
  rawInsertSeconds: number;
  firstSeconds: number;
  firstEvents: number;
  rerunSeconds: number;
  rerunEvents: number;
  target: string;
}

const YEAR = 2026;
const ACCOUNT = '5.1.02.01.01.0001';
/** SPMs the rows are drawn on: a hundred SP2Ds each, every one within what is left. */
const SPMS = 100;
const SP2D_AMOUNT = 16_800_000;

/** A year's SIPD export of one program, as the treasury system writes it (semicolons, D/M/Y). */
export function sp2dExport(rows: number): Buffer {
  const lines = [
    'nomor_sp_2_d;tanggal_sp_2_d;nilai_sp_2_d;jenis_sp_2_d;jenis_ls_sp_2_d;nomor_spm;kode_rekening;nama_pihak_ketiga;nama_bank',
  ];
  for (let i = 0; i < rows; i++) {
    // January to November: every day of the export lies before the day the bench runs.
    const month = String((i % 11) + 1).padStart(2, '0');
    lines.push(
      [
        `${String(i + 1).padStart(5, '0')}/SP2D-LS/${YEAR}`,
        `20/${month}/${YEAR}`,
        String(SP2D_AMOUNT),
        'LS',
        'Pihak Ketiga',
        `${String((i % SPMS) + 1).padStart(3, '0')}/SPM-LS/${YEAR}`,
        ACCOUNT,
        'BPJS Ketenagakerjaan',
        'Bank Sumsel Babel',
      ].join(';'),
    );
  }
  return Buffer.from(lines.join('\r\n'));
}

async function parseSeconds(file: Buffer): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const _row of parseSp2dFile(file, 'csv', { limits: { maxRows: 1_000_000 } })) n++;
  if (n === 0) throw new Error('the bench file read as empty');
  return (performance.now() - started) / 1000;
}

/** `events` rows shaped like the log's, in one transaction (SQLite) or one statement (PostgreSQL). */
async function rawInsertSeconds(store: 'sqlite' | 'postgres', events: number, url?: string): Promise<number> {
  const metadata = JSON.stringify({ eventId: 'x'.repeat(36), occurredAt: new Date().toISOString() });
  const data = (i: number) =>
    JSON.stringify({ number: `${i}/SP2D-LS/${YEAR}`, amount: SP2D_AMOUNT, accountCode: ACCOUNT });
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-raw-sp2d-'));
    try {
      const db = new Database(join(dir, 'raw.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(
        'CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT, revision INTEGER, type TEXT, data TEXT, metadata TEXT, UNIQUE (stream_id, revision))',
      );
      const insert = db.prepare(
        'INSERT INTO events (stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)',
      );
      const started = performance.now();
      db.transaction(() => {
        for (let i = 0; i < events; i++)
          insert.run(`treasury-${i % 2 ? i : 0}`, i, 'Sp2dRecorded', data(i), metadata);
      })();
      const seconds = (performance.now() - started) / 1000;
      db.close();
      return seconds;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TEMP TABLE raw_events (position bigserial PRIMARY KEY, stream_id text, revision bigint, type text, data text, metadata text, UNIQUE (stream_id, revision))',
    );
    const ids = Array.from({ length: events }, (_, i) => `treasury-${i % 2 ? i : 0}`);
    const started = performance.now();
    await client.query(
      `INSERT INTO raw_events (stream_id, revision, type, data, metadata)
       SELECT s, r, 'Sp2dRecorded', d, $4 FROM unnest($1::text[], $2::int8[], $3::text[]) AS t(s, r, d)`,
      [ids, ids.map((_, i) => i), ids.map((_, i) => data(i)), metadata],
    );
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

async function openStore(store: 'sqlite' | 'postgres', dir: string, url?: string) {
  const schema = `bench_treasury_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  if (store === 'postgres') {
    Object.assign(env, { LEDGER_STORE: 'postgres', DATABASE_URL: url!, LEDGER_PG_SCHEMA: schema });
    for (const name of [
      'LEDGER_KEK',
      'LEDGER_NIK_HMAC_KEY',
      'LEDGER_JWT_SECRET',
      'LEDGER_INTEGRITY_SIGNING_KEY',
    ])
      env[name] = randomBytes(32).toString('base64');
  }
  const runtime = await openRuntime(loadConfig(env), { projections: [] });
  const drop = async () => {
    if (store !== 'postgres') return;
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  };
  return { runtime, drop };
}

/** A Muara Enim program with a budget line, an SPP and the SPMs the export's rows draw on. */
async function treasuryOf(runtime: LedgerRuntime, rows: number) {
  const deps = depsOf(runtime);
  const ctx = seedContext('bench');
  const { programId } = await establishProgram(deps, ctx, {
    ...defaults,
    name: `Bench SP2D ${YEAR}`,
    ownerRegion: '1603',
    payer: 'Pemerintah Kabupaten Muara Enim',
    period: { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
    quota: 100_000,
    // The year's documents are dated back to January, as a treasury records them.
    backfillToleranceDays: 730,
  });
  const perSpm = Math.ceil(rows / SPMS) * SP2D_AMOUNT;
  const finance = { ...ctx, actor: { ...ctx.actor, role: 'finance' } };
  await setBudgetLine(deps, finance, programId, {
    fiscalYear: YEAR,
    accountCode: ACCOUNT,
    document: 'DPA',
    fundingSource: 'PAD',
    amount: perSpm * SPMS,
  });
  const base = { date: `${YEAR}-01-05`, accountCode: ACCOUNT };
  await recordSpp(deps, finance, programId, { ...base, number: `001/SPP-LS/${YEAR}`, amount: perSpm * SPMS });
  for (let i = 1; i <= SPMS; i++) {
    await recordSpm(deps, finance, programId, {
      ...base,
      number: `${String(i).padStart(3, '0')}/SPM-LS/${YEAR}`,
      amount: perSpm,
      sppNumber: `001/SPP-LS/${YEAR}`,
    });
  }
  return { deps, ctx: finance, programId };
}

/**
 * `bench --only treasury`: a 10,000-row SP2D export uploaded to one program through the import
 * handler (parse, every row decided, one append), then the same file again (every row already
 * recorded, nothing written), on SQLite and, with DATABASE_URL, on PostgreSQL. Beside each:
 * the parse of the same file alone, and the bare driver inserting as many rows into the same
 * kind of store, measured in the same run.
 */
export async function runTreasuryBench(
  rows: number,
  say: (line: string) => void,
  wanted: readonly string[] = ['sqlite', 'postgres'],
): Promise<TreasuryBench[]> {
  const file = sp2dExport(rows);
  const url = process.env.DATABASE_URL;
  const stores: ('sqlite' | 'postgres')[] = wanted.includes('sqlite') ? ['sqlite'] : [];
  if (wanted.includes('postgres')) {
    if (url) stores.push('postgres');
    else say('  postgres: not measured — DATABASE_URL is not set');
  }
  const results: TreasuryBench[] = [];
  for (const store of stores) {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-treasury-bench-'));
    const { runtime, drop } = await openStore(store, dir, url);
    try {
      const { deps, ctx, programId } = await treasuryOf(runtime, rows);
      const upload = async () => {
        const before = await runtime.store.headPosition();
        const started = performance.now();
        const result = await importSp2d(deps, ctx, programId, YEAR, {
          content: file,
          fileName: 'sp2d.csv',
          contentType: 'text/csv',
        });
        const seconds = (performance.now() - started) / 1000;
        return { seconds, events: (await runtime.store.headPosition()) - before, result };
      };
      const first = await upload();
      if (first.result.recorded !== rows)
        throw new Error(`${store}: ${first.result.recorded} of ${rows} rows recorded`);
      const rerun = await upload();
      if (rerun.result.alreadyRecorded !== rows || rerun.events !== 0)
        throw new Error(`${store}: the second upload wrote ${rerun.events} events`);
      const result: TreasuryBench = {
        store,
        rows,
        parseSeconds: round(await parseSeconds(file)),
        rawInsertSeconds: round(await rawInsertSeconds(store, first.events, url)),
        firstSeconds: round(first.seconds),
        firstEvents: first.events,
        rerunSeconds: round(rerun.seconds),
        rerunEvents: rerun.events,
        target: '≤ 2 s',
      };
      say(
        `  ${store}: ${rows} rows imported in ${result.firstSeconds} s (${result.firstEvents} events), again in ${result.rerunSeconds} s (nothing written); ` +
          `same run: parse alone ${result.parseSeconds} s, raw insert of ${result.firstEvents} rows ${result.rawInsertSeconds} s`,
      );
      results.push(result);
    } finally {
      await runtime.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
