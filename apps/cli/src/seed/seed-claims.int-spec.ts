import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regions } from '@ledger/ledger/regions/region-directory';
import { loadConfig } from '@ledger/platform/config';
import { claimsReport } from '@ledger/read-models/claims/claims-report.query';
import { programSummary } from '@ledger/read-models/enrollments/enrollments.query';
import { participantHistory } from '@ledger/read-models/participant-history/participant-history';
import { loadPrograms } from '@ledger/read-models/programs/programs.query';
import { ledgerProjections } from '@ledger/read-models/projections';
import { openRuntime } from '@ledger/runtime';
import { seedClaims } from './seed-claims';
import { seedDues, seedRoster } from './seed-dues';
import { seedLapseCase } from './seed-lapse';
import { defaults, depsOf, peopleFor, seedContext, seedProgram } from './seed-ledger';

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const MONTHS = ['2025-10', '2025-11', '2025-12'];
const backfill = { reason: 'migration' as const, note: 'demo' };

describe("the demo's claims", () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('four regencies: a death paid, an accident paid, one submitted, one with documents, the lapsed worker rejected; coverage figures kept', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-demo-claims-'));
    const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
      projections: ledgerProjections(),
    });
    try {
      const deps = depsOf(runtime);
      const ctx = seedContext('demo');
      const people = peopleFor(2026, PERIOD.from);
      const program = async (ownerRegion: string) => {
        const { programId } = await seedProgram(
          deps,
          ctx,
          {
            ...defaults,
            name: `Demo ${ownerRegion}`,
            ownerRegion,
            payer: `Pemda ${ownerRegion}`,
            period: PERIOD,
            quota: 5,
          },
          people,
          { villages: regions().villagesOf(ownerRegion).slice(0, 2), count: 5 },
          PERIOD.from,
          5,
          { backfill, proposedOn: '2025-09-15', approvedOn: '2025-09-25' },
        );
        await runtime.runner.catchUp();
        await seedDues(
          deps,
          ctx,
          seedRoster(runtime),
          programId,
          MONTHS,
          MONTHS.map((month) => ({ month, share: 1, paidOn: `${month}-10` })),
          backfill,
        );
        return programId;
      };
      const programs = {
        sijunjung: await program('1303'),
        muaraEnim: await program('1603'),
        sarolangun: await program('1503'),
        pali: await program('1612'),
      };
      const lapse = await seedLapseCase(runtime, deps, ctx, people, backfill);
      const claims = await seedClaims(
        runtime,
        deps,
        ctx,
        peopleFor(2027, '2025-12-31'),
        programs,
        lapse.lapses[0].enrollmentId,
        backfill,
      );
      expect(claims.map((c) => [c.regency, c.kind, c.status, c.eligible, c.reasons])).toEqual([
        ['1303', 'JKM', 'paid', true, ''],
        ['1603', 'JKK', 'paid', true, ''],
        ['1503', 'JKK', 'submitted', true, ''],
        ['1612', 'JKM', 'documents_complete', true, ''],
        ['1612', 'JKM', 'rejected', false, expect.stringContaining('not_covered_on_event_date')],
      ]);

      // The deaths fell on the programs' last day: every coverage figure of the period stays.
      const loaded = await loadPrograms(runtime.read.query);
      for (const id of Object.values(programs)) {
        const summary = (await programSummary(runtime.read.query, loaded.get(id)!, '2025-12-31', null))
          .summary;
        expect({ id, active: summary.active }).toEqual({ id, active: 5 });
      }
      const report = await claimsReport(runtime.read.query, { region: '1303', year: 2025 });
      expect(report.totals).toEqual({ claims: 1, amount: 42_000_000, paidAmount: 42_000_000 });
      // 31 December 2025 to 3 February 2026.
      expect(report.paymentDelay).toEqual([{ regency: '1303', paidClaims: 1, medianDays: 34, p90Days: 34 }]);

      const { participant_id } = await runtime.read.query
        .selectFrom('claims')
        .select('participant_id')
        .where('claim_id', '=', claims[0].claimId)
        .executeTakeFirstOrThrow();
      const history = (await participantHistory(runtime.store, runtime.read.query, participant_id))!;
      expect(history.claims.map((c) => [c.status, c.heirCount, c.amount])).toEqual([['paid', 2, 42_000_000]]);
    } finally {
      await runtime.close();
    }
  }, 300_000);
});
