/**
 * Rebuilding read models from the log gives back exactly what the live projections built,
 * once on SQLite and once on PostgreSQL: every table of every projection in
 * ledgerProjections() is read whole (ordered by its primary key) before and after
 * `runner.rebuild(name)`, and compared row by row. Queries keep answering, with the right
 * numbers, while rebuilds run. On SQLite the CLI (`projections rebuild all`, a child
 * process) is run against a data directory of its own, with no other process open on it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { tablesOf, type TableSpec } from '@ledger/read-models/runner/projection';
import { startLedgerApp, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  buildCoverageLedger,
  expectedCoverage,
  expectedProgramSummary,
  MUARA_ENIM,
  settle,
  type CoverageModel,
} from './support/coverage-ledger';
import { finished, spawnTs } from './support/processes';

/** Every table of every read model, by logical name (the view queries read). */
function readModelTables(): TableSpec[] {
  return ledgerProjections().flatMap(tablesOf);
}

type Snapshot = Record<string, Record<string, unknown>[]>;

async function snapshot(runtime: LedgerRuntime): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const spec of readModelTables()) {
    let query = runtime.read.query.selectFrom(spec.name).selectAll();
    for (const column of spec.primaryKey) query = query.orderBy(column);
    out[spec.name] = (await query.execute()) as Record<string, unknown>[];
  }
  return out;
}

/** Row by row, naming the table and the row index of the first difference. */
function expectSameRows(actual: Snapshot, expected: Snapshot): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [table, rows] of Object.entries(expected)) {
    expect({ table, count: actual[table].length }).toEqual({ table, count: rows.length });
    rows.forEach((row, index) => {
      expect({ table, index, row: actual[table][index] }).toEqual({ table, index, row });
    });
  }
}

async function generations(runtime: LedgerRuntime): Promise<Record<string, number>> {
  return Object.fromEntries((await runtime.runner.status()).map((s) => [s.name, s.generation]));
}

function rebuildSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let model: CoverageModel;
  let before: Snapshot;
  let viewer: string;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    model = await buildCoverageLedger(ledger.runtime);
    // Program A's February invoice, partly paid: a3 left on 20 February, so its line is a
    // candidate for a refund and the finance tables all hold rows.
    const admin = await ledger.token('program_admin', ['ID'], 'admin-nasional');
    const issued = await ledger.post(`/api/programs/${model.programs.A.id}/invoices`, admin, {
      month: '2026-02',
    });
    expect(issued.status).toBe(201);
    const paid = await ledger.post(`/api/invoices/${issued.body.invoiceId}/payments`, admin, {
      amount: issued.body.lineAmount + 1_000,
      paidOn: '2026-02-10',
      reference: 'VA-REBUILD-1',
      backfillReason: 'migration',
    });
    expect(paid.status).toBe(201);
    // An SP2D that pays the invoice, so the reconciliation's tables hold rows too.
    const finance = await ledger.token('finance', ['ID'], 'keuangan-nasional');
    const treasury = (path: string, body: Record<string, unknown>) =>
      ledger.post(`/api/programs/${model.programs.A.id}/${path}`, finance, body);
    const doc = { date: '2026-02-05', amount: issued.body.lineAmount, accountCode: '5.1.02.01.01.0001' };
    const written = [
      await treasury('budget-lines', {
        fiscalYear: 2026,
        accountCode: doc.accountCode,
        document: 'DPA',
        fundingSource: 'PAD',
        amount: 1_000_000,
      }),
      await treasury('spp', { ...doc, number: 'SPP-REBUILD-1' }),
      await treasury('spm', { ...doc, number: 'SPM-REBUILD-1', sppNumber: 'SPP-REBUILD-1' }),
      await treasury('sp2d', {
        ...doc,
        number: 'SP2D-REBUILD-1',
        spmNumber: 'SPM-REBUILD-1',
        sp2dType: 'LS',
        recipient: 'BPJS Ketenagakerjaan',
        bank: 'Bank Sumsel Babel',
      }),
      await treasury('sp2d-links', {
        fiscalYear: 2026,
        sp2dNumber: 'SP2D-REBUILD-1',
        invoiceIds: [issued.body.invoiceId],
      }),
      // A signed reconciliation statement of the month, so its table holds a row.
      await ledger.post('/api/reconciliation/statements', finance, {
        program: model.programs.A.id,
        month: '2026-02',
        signer: { position: 'Kepala Bidang Perbendaharaan' },
      }),
    ];
    expect(written.map((w) => w.status)).toEqual([200, 201, 201, 201, 200, 201]);
    const linked = written[written.length - 1].body.consistencyToken as number;
    await settle(ledger.runtime, Math.max(model.lastToken, paid.body.consistencyToken, linked));
    before = await snapshot(ledger.runtime);
    viewer = await ledger.token('viewer', ['ID'], 'viewer-national');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  it('the snapshot holds every read model, with rows in the ones this ledger feeds', () => {
    const names = readModelTables().map((t) => t.name);
    expect(Object.keys(before).sort()).toEqual([...names].sort());
    for (const table of readModelTables().map((t) => t.name)) {
      expect({ table, empty: (before[table]?.length ?? 0) === 0 }).toEqual({ table, empty: false });
    }
    expect(before.programs).toHaveLength(Object.keys(model.programs).length);
    expect(before.enrollments).toHaveLength(model.enrollments.length);
    expect(before.baselines).toHaveLength(model.baselines.length);
  });

  it.each(ledgerProjections().map((p) => p.name))(
    'rebuilding %s gives back every table row by row, in a new generation',
    async (name) => {
      const generationBefore = (await generations(ledger.runtime))[name];
      const head = await ledger.runtime.store.headPosition();
      const result = await ledger.runtime.runner.rebuild(name);
      expect(result.position).toBeGreaterThan(0);
      expect(result.position).toBeLessThanOrEqual(head);
      expect((await generations(ledger.runtime))[name]).toBe(generationBefore + 1);
      expectSameRows(await snapshot(ledger.runtime), before);
    },
  );

  /**
   * Queries the reports in a loop until `work` settles; every answer must be the model's.
   * Returns how many answers came back while the work was still running.
   */
  async function queryWhile(work: Promise<unknown>): Promise<number> {
    const checks: [string, unknown][] = [
      [
        `/api/coverage?region=${MUARA_ENIM}&date=2026-03-15`,
        expectedCoverage(model, MUARA_ENIM, '2026-03-15'),
      ],
      ['/api/coverage?date=2026-02-20', expectedCoverage(model, 'ID', '2026-02-20')],
      [
        `/api/programs/${model.programs.A.id}/summary?date=2026-02-21`,
        expectedProgramSummary(model, 'A', '2026-02-21'),
      ],
    ];
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    let answeredDuring = 0;
    try {
      // The first round is asked before the work is awaited, whatever happens next.
      for (let round = 0; round === 0 || (!done && round < 5_000); round++) {
        for (const [url, expected] of checks) {
          const response = await ledger.get(url, viewer);
          expect({ url, status: response.status, body: response.body }).toEqual({
            url,
            status: 200,
            body: expected,
          });
          if (!done) answeredDuring += 1;
        }
      }
    } finally {
      await settled;
    }
    for (const [url, expected] of checks) expect((await ledger.get(url, viewer)).body).toEqual(expected);
    return answeredDuring;
  }

  it('queries asked while in-process rebuilds run get the right numbers', async () => {
    const names = ledgerProjections().map((p) => p.name);
    const generationsBefore = await generations(ledger.runtime);
    const rebuilding = (async () => {
      // The read models the reports read first, then all of them.
      for (const name of ['coverage', 'programs', 'baselines', 'enrollments', ...names]) {
        await ledger.runtime.runner.rebuild(name);
      }
    })();
    const answeredDuring = await queryWhile(rebuilding);
    if (mode === 'postgres') expect(answeredDuring).toBeGreaterThan(0);
    // SQLite: better-sqlite3 and the SQLite event store are synchronous, so an in-process
    // rebuild is one chain of microtasks and requests are answered once it is over (the
    // CLI case below shows reads going on while another process rebuilds).
    const generationsAfter = await generations(ledger.runtime);
    expect(generationsAfter.coverage).toBe(generationsBefore.coverage + 2);
    expectSameRows(await snapshot(ledger.runtime), before);
  });

  if (mode === 'sqlite') {
    it('queries keep answering while the CLI rebuilds every read model in another process', async () => {
      const generationsBefore = await generations(ledger.runtime);
      // Scratch files of a rebuild killed midway (its process is gone) are removed; those of
      // a rebuild still running (this process) are left alone.
      const dataDir = ledger.runtime.config.dataDir;
      const gone = spawnSync(process.execPath, ['-e', '']).pid;
      const abandoned = join(dataDir, `read.rebuild-${gone}-1.db`);
      const running = join(dataDir, `read.rebuild-${process.pid}-1.db`);
      writeFileSync(abandoned, 'left behind');
      writeFileSync(`${abandoned}-journal`, 'left behind');
      writeFileSync(running, 'in use');
      const child = spawnTs(
        'apps/cli/src/main.ts',
        { LEDGER_STORE: 'sqlite', LEDGER_DATA_DIR: ledger.runtime.config.dataDir, LOG_LEVEL: 'silent' },
        ['projections', 'rebuild', 'all'],
      );
      const exited = finished(child, 50_000);
      const answeredDuring = await queryWhile(exited);
      const result = await exited;
      expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('on 2 threads');
      expect(answeredDuring).toBeGreaterThan(0);
      const generationsAfter = await generations(ledger.runtime);
      for (const [name, generation] of Object.entries(generationsBefore)) {
        expect({ name, generation: generationsAfter[name] }).toEqual({ name, generation: generation + 1 });
      }
      expectSameRows(await snapshot(ledger.runtime), before);
      // Half of the read models were filled on a worker thread in a scratch file, since removed.
      expect(readdirSync(dataDir).filter((f) => f.startsWith('read.rebuild-'))).toEqual([basename(running)]);
      rmSync(running);
    }, 60_000);
  }

  it('the live projections go on after rebuilds: a new write shows up', async () => {
    const head = await ledger.runtime.store.headPosition();
    const put = await ledger.put(
      '/api/regions/1612/baselines/2025',
      await ledger.token('program_admin', ['1612']),
      {
        workingPopulation: 390,
        informalWorkers: null,
        vulnerableWorkers: null,
        source: 'BPS PALI 2024',
      },
    );
    expect(put.status).toBe(200);
    expect(put.body.consistencyToken).toBeGreaterThan(head);
    const response = await ledger.get(
      `/api/coverage?region=1612&date=2025-12-31&consistentWith=${put.body.consistencyToken}`,
      viewer,
    );
    expect(response.status).toBe(200);
    expect(response.body.baseline).toMatchObject({ year: 2025, workingPopulation: 390 });
    // b3 (Talang Ubi Timur) and b4 (Purun) in B: 2 of 390.
    expect(response.body).toMatchObject({ active: 2, coverage: { ofWorkingPopulation: 0.51 } });
  });
}

describe('SQLite e2e: read-model rebuilds', () => {
  rebuildSuite('sqlite');

  describe('the CLI (projections rebuild all) in a child process', () => {
    let dataDir: string;
    let runtime: LedgerRuntime | undefined;
    const open = () =>
      openRuntime(loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
        projections: ledgerProjections(),
      });

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-cli-'));
    });
    afterAll(async () => {
      await runtime?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('rebuilds every read model of a closed embedded ledger to the same rows', async () => {
      runtime = await open();
      const model = await buildCoverageLedger(runtime, 1503);
      await runtime.runner.catchUp();
      const expected = await snapshot(runtime);
      expect(expected.enrollments).toHaveLength(model.enrollments.length);
      const generationsBefore = await generations(runtime);
      await runtime.close();
      runtime = undefined;

      const child = spawnTs(
        'apps/cli/src/main.ts',
        { LEDGER_STORE: 'sqlite', LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        ['projections', 'rebuild', 'all'],
      );
      const result = await finished(child, 50_000);
      expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
      expect(result.stdout).toMatch(/^rebuilt .*coverage.*: \d+ events in [\d.]+ s/m);

      runtime = await open();
      expectSameRows(await snapshot(runtime), expected);
      const after = await generations(runtime);
      for (const [name, generation] of Object.entries(generationsBefore)) {
        expect({ name, generation: after[name] }).toEqual({ name, generation: generation + 1 });
      }
    }, 60_000);
  });
});

describeIfAvailable(
  'PostgreSQL e2e: read-model rebuilds',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => rebuildSuite('postgres'),
);
