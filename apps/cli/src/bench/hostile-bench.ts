import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signToken } from '@ledger/platform/auth';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { importIdFor } from '@ledger/ledger/enrollment/import/import.handlers';
import { metadata } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';
import { establishProgram } from '@ledger/ledger/programs/programs.handlers';
import { defaults, depsOf, seedContext } from '../seed/seed-ledger';
import { blankLinesCsv, inflatingXlsx } from '@ledger/ledger/enrollment/import/hostile-files';

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

export interface HostileBench {
  requests: HostileResult[];
  healthPolls: number;
  healthMaxMs: number;
  healthFailures: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
}

const REPORT_ROWS = 1_000_000;

export async function runHostileBench(
  say: (line: string) => void,
  reportRows = REPORT_ROWS,
): Promise<HostileBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-hostile-bench-'));
  let child: ReturnType<typeof spawn> | undefined;
  try {
    say(`  preparing: a program and the report of a ${reportRows.toLocaleString('en')}-row import`);
    const { programId, importId, token } = await prepareLedger(dir, reportRows);
    const port = await freePort();
    const root = resolve(__dirname, '../../../..');
    child = spawn(
      process.execPath,
      ['-r', join(root, 'scripts/register.js'), join(root, 'apps/api/src/main.ts')],
      {
        env: {
          ...process.env,
          LEDGER_STORE: 'sqlite',
          LEDGER_DATA_DIR: dir,
          PORT: String(port),
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const pid = child.pid!;
    await waitForHealth(port);
    await sleep(2000);
    const rssBefore = rssMb(pid);
    say(`  API up (pid ${pid}, RSS ${rssBefore} MB); sending the hostile requests at once`);

    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 100);
    const health = { polls: 0, maxMs: 0, failures: 0, stop: false };
    const poller = (async () => {
      while (!health.stop) {
        const started = performance.now();
        const status = await call(port, 'GET', '/health').then(
          (r) => r.status,
          () => 0,
        );
        const ms = performance.now() - started;
        health.polls += 1;
        health.maxMs = Math.max(health.maxMs, ms);
        if (status !== 200) health.failures += 1;
        await sleep(50);
      }
    })();

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
    health.stop = true;
    await poller;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, rssMb(pid));
    for (const r of requests) {
      say(
        `  ${r.workload}: ${r.status} ${r.rule} in ${r.seconds.toFixed(1)} s (${(r.bytes / 1e6).toFixed(1)} MB answered)`,
      );
    }
    say(
      `  /health: ${health.polls} polls, slowest ${Math.round(health.maxMs)} ms, ${health.failures} not 200`,
    );
    say(`  API RSS: ${rssBefore} MB before, ${rssPeak} MB at the peak (+${rssPeak - rssBefore} MB)`);
    return {
      requests,
      healthPolls: health.polls,
      healthMaxMs: Math.round(health.maxMs),
      healthFailures: health.failures,
      rssBeforeMb: rssBefore,
      rssPeakMb: rssPeak,
      rssGrowthMb: rssPeak - rssBefore,
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
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
    const { programId } = await establishProgram(deps, ctx, {
      ...defaults,
      name: 'Bench hostile',
      ownerRegion: '1603',
      payer: 'Bench',
      period: { from: '2026-01-01', to: '2026-12-31' },
      quota: rows,
    });
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

async function timed(workload: string, send: () => Promise<{ status: number; rule: string; bytes: number }>) {
  const started = performance.now();
  const { status, rule, bytes } = await send().catch((error: Error) => ({
    status: 0,
    rule: error.message,
    bytes: 0,
  }));
  return { workload, status, rule, bytes, seconds: (performance.now() - started) / 1000 };
}

/** One HTTP request; the answer is counted, not kept, except a problem's rule. */
function call(
  port: number,
  method: string,
  path: string,
  token?: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; rule: string; bytes: number }> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let bytes = 0;
        let head = '';
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (head.length < 2000) head += chunk.toString('utf8');
        });
        res.on('end', () => {
          let rule = '';
          if (String(res.headers['content-type']).includes('problem')) {
            try {
              rule = (JSON.parse(head) as { type?: string }).type?.split('/').pop() ?? '';
            } catch {
              rule = '?';
            }
          }
          done({ status: res.statusCode ?? 0, rule, bytes });
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const ok = await call(port, 'GET', '/health').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error('the API did not answer /health within 120 s');
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
