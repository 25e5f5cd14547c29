import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@ledger/platform/auth';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { importIdFor } from '@ledger/ledger/enrollment/import/upload/upload.handler';
import { metadata } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { defaults, depsOf, seedContext } from '../seed/seed-ledger';
import { blankLinesCsv, inflatingXlsx } from '@ledger/ledger/enrollment/import/hostile-files';
import { call, sleep, startApi, timed, watchApi, type ApiProcess, type ApiWatched } from './api-process';

/**
 * `npm run bench -- --only hostile`: the API as `npm start` runs it (its own process, embedded
 * mode), sent at once a 1.9 MB and a 60 MB CSV of blank lines, an XLSX that inflates to 4 GB and
 * the download of a 1,000,000-row import report, while /health is polled every 50 ms. Prints
 * the slowest /health answer and how far the API process's resident memory grew.
 * Targets: /health under 1 s throughout, growth under 512 MB, each upload refused within 60 s.
 */
export interface HostileResult {
  workload: string;
  status: number;
  rule: string;
  seconds: number;
  bytes: number;
}

export interface HostileBench extends ApiWatched {
  requests: HostileResult[];
}

const REPORT_ROWS = 1_000_000;

export async function runHostileBench(
  say: (line: string) => void,
  reportRows = REPORT_ROWS,
): Promise<HostileBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-hostile-bench-'));
  let api: ApiProcess | undefined;
  try {
    say(`  preparing: a program and the report of a ${reportRows.toLocaleString('en')}-row import`);
    const { programId, importId, token } = await prepareLedger(dir, reportRows);
    api = await startApi(dir);
    const { port } = api;
    await sleep(2000);
    const watch = await watchApi(api);
    say(`  API up (pid ${api.pid}, RSS ${watch.rssBefore} MB); sending the hostile requests at once`);

    const upload = (workload: string, body: Buffer, type: string) =>
      timed(workload, () =>
        call(port, 'POST', `/api/programs/${programId}/enrollments/import`, token, body, {
          'content-type': type,
        }),
      );
    const requests = await Promise.all([
      upload('1.9 MB CSV: header + 950,000 blank lines', blankLinesCsv(950_000), 'text/csv'),
      upload('60 MB CSV: header + 30,000,000 blank lines', blankLinesCsv(30_000_000), 'text/csv'),
      upload(
        '4 MB XLSX inflating to 4 GB',
        inflatingXlsx(4_000_000_000),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ),
      timed(`report download, ${reportRows.toLocaleString('en')} rows (CSV)`, () =>
        call(port, 'GET', `/api/imports/${importId}/report`, token),
      ),
    ]);
    const seen = await watch.stop();
    for (const r of requests) {
      say(
        `  ${r.workload}: ${r.status} ${r.rule} in ${r.seconds.toFixed(1)} s (${(r.bytes / 1e6).toFixed(1)} MB answered)`,
      );
    }
    say(
      `  /health: ${seen.healthPolls} polls, slowest ${seen.healthMaxMs} ms, ${seen.healthFailures} not 200`,
    );
    say(
      `  API RSS: ${seen.rssBeforeMb} MB before, ${seen.rssPeakMb} MB at the peak (+${seen.rssGrowthMb} MB)`,
    );
    return { requests: requests.map(({ head: _head, ...r }) => r), ...seen };
  } finally {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A program and a finished import of `rows` rows, written as the import writes them (its
 * events), so that the download has a report of that size without importing a million people.
 */
export async function prepareLedger(dir: string, rows: number) {
  const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
    projections: ledgerProjections(),
  });
  try {
    const deps = depsOf(runtime);
    const ctx = seedContext('bench');
    const { programId } = await establishProgram(
      deps,
      ctx,
      {
        ...defaults,
        name: 'Bench hostile',
        ownerRegion: '1603',
        payer: 'Bench',
        period: { from: '2026-01-01', to: '2026-12-31' },
        quota: rows,
      },
      // A period already under way is recorded as earlier records brought in.
      { reason: 'migration', note: null },
    );
    const importId = importIdFor(programId, 'bench-hostile');
    const streamId = streams.nominationImport(importId);
    const meta = () => metadata(ctx, { importId });
    await deps.store.append([
      {
        streamId,
        expected: 'no_stream',
        events: [
          {
            type: 'NominationImportStarted',
            data: { importId, programId, fileSha256: 'bench-hostile', fileName: 'usulan.csv', format: 'csv' },
            metadata: meta(),
          },
        ],
      },
    ]);
    const CHUNK = 1000;
    for (let start = 0, revision = 0; start < rows; start += CHUNK, revision += 1) {
      const chunk = Array.from({ length: Math.min(CHUNK, rows - start) }, (_, i) => ({
        key: start + i + 2,
        status: 'rejected' as const,
        reasons: [
          {
            field: 'birthDate',
            rule: 'enrollment.ageCap',
            message: 'Usia 70 tahun melebihi batas usia program (65 tahun)',
          },
        ],
        maskedNik: '1603**********01',
        enrollmentId: null,
        participantId: null,
        villageCode: '1603012011',
      }));
      await deps.store.append([
        {
          streamId,
          expected: revision,
          events: [
            { type: 'NominationRowsRecorded', data: { importId, programId, rows: chunk }, metadata: meta() },
          ],
        },
      ]);
    }
    await deps.store.append([
      {
        streamId,
        expected: Math.ceil(rows / CHUNK),
        events: [
          {
            type: 'NominationImportCompleted',
            data: { importId, programId, total: rows, accepted: 0, rejected: rows },
            metadata: meta(),
          },
        ],
      },
    ]);
    await runtime.runner.catchUp();
    const token = await signToken(runtime.secrets.jwtSecret, {
      sub: 'bench-admin',
      role: 'program_admin',
      regions: ['1603'],
      ttlSeconds: 3600,
    });
    return { programId, importId, token };
  } finally {
    await runtime.close();
  }
}
