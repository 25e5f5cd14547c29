/**
 * The demo's treasury over HTTP, once on SQLite and once on PostgreSQL: the demo's programs
 * (their terms, payments and the PALI lapse case as `npm run demo` seeds them, with a few
 * workers each instead of thousands) get the demo's budget lines, SPP → SPM → SP2D and BPJS
 * bills, and GET /api/reconciliation shows each deliberate difference exactly in its program
 * and month, and no line anywhere else.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { regions } from '@ledger/ledger/regions/region-directory';
import { FILE_ROWS, MIGRATION, MONTHS, PAYMENTS, PERIOD } from '../apps/cli/src/commands/demo';
import { DEMO_TREASURY, LAPSE_PROGRAM } from '../apps/cli/src/seed/demo-treasury';
import { seedDues, seedRoster } from '../apps/cli/src/seed/seed-dues';
import { seedLapseCase } from '../apps/cli/src/seed/seed-lapse';
import { defaults, depsOf, peopleFor, seedContext, seedProgram } from '../apps/cli/src/seed/seed-ledger';
import { expectedCodes, seedTreasury } from '../apps/cli/src/seed/seed-treasury';
import { startLedgerApp, type LedgerApp, type LedgerMode } from './support/ledger-app';

/** Workers per program: enough that every difference of the plan stays within one month. */
const WORKERS = 5;
const ALL_CODES = [
  'ROSTER_NOT_BILLED',
  'BILLED_NOT_ON_ROSTER',
  'AMOUNT_DIFFERS',
  'INVOICE_UNPAID',
  'DISBURSED_TWICE',
  'DISBURSEMENT_EXCEEDS_INVOICE',
  'DISBURSED_WITHOUT_INVOICE',
  'OUTSIDE_BUDGET_LINE',
];

function demoTreasurySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  const programIds = new Map<string, string>();

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    const deps = depsOf(ledger.runtime);
    const ctx = seedContext('demo');
    const people = peopleFor(2026, PERIOD.from);
    for (const [label, plan] of Object.entries(DEMO_TREASURY)) {
      if (label === LAPSE_PROGRAM) continue;
      const { programId, approved } = await seedProgram(
        deps,
        ctx,
        {
          ...defaults,
          name: `${label} ${PERIOD.from.slice(0, 4)}`,
          ownerRegion: plan.regionCode,
          payer: `Pemerintah Kabupaten ${label.split(', ')[1]}`,
          fundingSource: plan.fundingSource === 'DBHCHT' ? 'DBHCHT' : 'APBD',
          period: PERIOD,
          quota: WORKERS,
        },
        people,
        { villages: regions().villagesOf(plan.regionCode), count: WORKERS },
        PERIOD.from,
        FILE_ROWS,
        MIGRATION,
      );
      expect(approved).toBe(WORKERS);
      programIds.set(label, programId);
    }
    await ledger.runtime.runner.catchUp();
    const roster = seedRoster(ledger.runtime);
    for (const [label, programId] of programIds)
      await seedDues(deps, ctx, roster, programId, MONTHS, PAYMENTS[label] ?? [], MIGRATION.backfill);
    const lapse = await seedLapseCase(ledger.runtime, deps, ctx, people, MIGRATION.backfill);
    programIds.set(LAPSE_PROGRAM, lapse.programId);
    await seedTreasury(
      deps,
      ctx,
      Object.entries(DEMO_TREASURY).map(([label, t]) => ({ label, programId: programIds.get(label)!, ...t })),
      peopleFor(2028, '2025-12-31').next({ villageCode: regions().villagesOf('1612')[0] }).nik,
    );
  }, 600_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const read = async (programId: string, query: string) => {
    const finance = await ledger.token('finance', ['ID'], 'keuangan');
    const head = await ledger.runtime.store.headPosition();
    const response = await ledger.get(
      `/api/reconciliation?program=${programId}&${query}&consistentWith=${head}`,
      finance,
    );
    expect(response.status).toBe(200);
    return response.body as {
      roster: number;
      billed: number;
      disbursed: number;
      months: {
        month: string;
        roster: number;
        billed: number;
        disbursed: number;
        lines: { code: string }[];
      }[];
      lines: { code: string; month: string }[];
    };
  };

  it('every month of every program shows exactly the differences its plan made, the rest are clean', async () => {
    const seen: string[] = [];
    for (const [label, plan] of Object.entries(DEMO_TREASURY)) {
      const year = await read(programIds.get(label)!, 'year=2025');
      for (const month of year.months) {
        const expected = expectedCodes(plan.plan?.[month.month] ?? {});
        expect({ label, month: month.month, codes: month.lines.map((l) => l.code) }).toEqual({
          label,
          month: month.month,
          codes: expected,
        });
        seen.push(...expected);
        // A clean month of the program matches to the rupiah.
        if (plan.months.includes(month.month) && expected.length === 0) {
          expect(month.billed).toBe(month.roster);
          expect(month.disbursed).toBe(month.roster);
          expect(month.roster).toBeGreaterThan(0);
        }
      }
      // The year is the sum of its months.
      expect(year.roster).toBe(year.months.reduce((sum, m) => sum + m.roster, 0));
      expect(year.disbursed).toBe(year.months.reduce((sum, m) => sum + m.disbursed, 0));
    }
    // Each code once, in the whole demo.
    expect([...seen].sort()).toEqual([...ALL_CODES].sort());
  });

  it('a single month reads as in the year, and the January SP2D of Muara Enim leaves 2026 clean', async () => {
    const aparatur = programIds.get('Aparatur Desa, Muara Enim')!;
    const october = await read(aparatur, 'month=2025-10');
    expect(october.lines.map((l) => l.code)).toEqual(['DISBURSED_TWICE']);
    expect(october.disbursed).toBe(2 * october.roster);
    const december = await read(aparatur, 'month=2025-12');
    expect(december).toMatchObject({ lines: [], disbursed: december.roster, billed: december.roster });
    const next = await read(aparatur, 'year=2026');
    expect(next.lines).toEqual([]);
  });
}

describe('SQLite e2e: the demo’s treasury and its reconciliation', () => demoTreasurySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: the demo’s treasury and its reconciliation',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => demoTreasurySuite('postgres'),
);
