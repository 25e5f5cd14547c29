import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDues } from '@ledger/ledger/contributions/dues.load';
import { currentInvoice } from '@ledger/ledger/contributions/dues.state';
import { loadConfig } from '@ledger/platform/config';
import { ledgerProjections } from '@ledger/read-models/projections';
import { loadPrograms } from '@ledger/read-models/programs/programs.query';
import { programSummary } from '@ledger/read-models/enrollments/enrollments.query';
import { openRuntime } from '@ledger/runtime';
import { depsOf, peopleFor, seedContext } from './seed-ledger';
import { seedLapseCase } from './seed-lapse';

describe("the demo's lapse", () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the twelfth worker lapses on 16 May 2025 (covered until 15 May), the eleventh who paid in the grace does not', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-demo-lapse-'));
    const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
      projections: ledgerProjections(),
    });
    try {
      const deps = depsOf(runtime);
      const backfill = { reason: 'migration' as const, note: 'demo' };
      const { programId, lapses } = await seedLapseCase(
        runtime,
        deps,
        seedContext('demo'),
        peopleFor(2026, '2025-10-01'),
        backfill,
      );
      const may = currentInvoice((await loadDues(deps, programId, '2025-05')).state)!;
      expect(lapses).toEqual([
        {
          enrollmentId: may.lines[11],
          lastCoveredDay: '2025-05-15',
          unpaidMonths: ['2025-02', '2025-03', '2025-04', '2025-05'],
        },
      ]);
      const june = currentInvoice((await loadDues(deps, programId, '2025-06')).state)!;
      expect(june.lines).toEqual(may.lines.slice(0, 11));
      expect(june.paid).toBe(june.totalAmount);
      await runtime.runner.catchUp();
      const program = (await loadPrograms(runtime.read.query)).get(programId)!;
      const on = async (date: string) =>
        (await programSummary(runtime.read.query, program, date, null)).summary;
      expect((await on('2025-05-15')).active).toBe(12);
      const after = await on('2025-05-16');
      expect({ active: after.active, byReason: after.deregistrationsByReason }).toEqual({
        active: 11,
        byReason: { lapsed: 1 },
      });
    } finally {
      await runtime.close();
    }
  }, 120_000);
});
