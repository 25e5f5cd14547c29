import { mkdtempSync, rmSync, writeFileSync, createReadStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@ledger/platform/auth';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { regions } from '@ledger/ledger/regions/region-directory';
import { defaults, depsOf, nominationCsv, peopleFor, seedContext } from '../seed/seed-ledger';
import { call, startApi, timed, watchApi, type ApiProcess, type ApiWatched } from './api-process';

/**
 * `npm run bench -- --only big-import`: a genuine list of valid workers (1,000,000 rows by
 * default, `--participants N`) uploaded to the API process as a village operator's file would
 * be, while /health is polled every 50 ms. The list imports; the slowest /health answer and
 * the API's memory growth show that it did not stall or swell the server meanwhile.
 * Targets: every row accepted, /health under 1 s throughout.
 */
export interface BigImportBench extends ApiWatched {
  rows: number;
  fileMb: number;
  status: number;
  accepted: number;
  seconds: number;
  rowsPerSecond: number;
}

const REGENCY = '1603';

export async function runBigImportBench(rows: number, say: (line: string) => void): Promise<BigImportBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-big-import-bench-'));
  let api: ApiProcess | undefined;
  try {
    say(`  preparing: a program for ${rows.toLocaleString('en')} workers and their list as CSV`);
    const { programId, token } = await prepareProgram(dir, rows);
    const file = join(dir, 'usulan.csv');
    writeFileSync(
      file,
      nominationCsv(peopleFor(1_000_003, '2026-01-01'), {
        villages: regions().villagesOf(REGENCY),
        count: rows,
      }),
    );
    const fileMb = Math.round(statSync(file).size / 1e5) / 10;
    api = await startApi(dir);
    const watch = await watchApi(api);
    say(`  API up (pid ${api.pid}, RSS ${watch.rssBefore} MB); uploading ${fileMb} MB`);
    const answer = await timed('import', () =>
      call(
        api!.port,
        'POST',
        `/api/programs/${programId}/enrollments/import`,
        token,
        createReadStream(file),
        {
          'content-type': 'text/csv',
          'content-disposition': 'attachment; filename="usulan.csv"',
        },
      ),
    );
    const seen = await watch.stop();
    const accepted = acceptedOf(answer.head);
    say(
      `  ${answer.status} ${answer.rule} in ${answer.seconds.toFixed(1)} s: ${accepted.toLocaleString('en')} of ${rows.toLocaleString('en')} accepted`,
    );
    say(
      `  /health: ${seen.healthPolls} polls, slowest ${seen.healthMaxMs} ms, ${seen.healthFailures} not 200`,
    );
    say(
      `  API RSS: ${seen.rssBeforeMb} MB before, ${seen.rssPeakMb} MB at the peak (+${seen.rssGrowthMb} MB)`,
    );
    return {
      rows,
      fileMb,
      status: answer.status,
      accepted,
      seconds: Math.round(answer.seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / answer.seconds),
      ...seen,
    };
  } finally {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function acceptedOf(head: string): number {
  const match = /"accepted"\s*:\s*(\d+)/.exec(head);
  return match ? Number(match[1]) : 0;
}

async function prepareProgram(dir: string, rows: number) {
  const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
    projections: ledgerProjections(),
  });
  try {
    const { programId } = await establishProgram(
      depsOf(runtime),
      seedContext('bench'),
      {
        ...defaults,
        name: 'Bench big import',
        ownerRegion: REGENCY,
        payer: 'Bench',
        period: { from: '2026-01-01', to: '2026-12-31' },
        quota: rows,
      },
      // A period already under way is recorded as earlier records brought in.
      { reason: 'migration', note: null },
    );
    await runtime.runner.catchUp();
    const token = await signToken(runtime.secrets.jwtSecret, {
      sub: 'bench-operator',
      role: 'program_admin',
      regions: [REGENCY],
      ttlSeconds: 86_400,
    });
    return { programId, token };
  } finally {
    await runtime.close();
  }
}
