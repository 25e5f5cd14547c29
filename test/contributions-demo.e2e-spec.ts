/**
 * The demo's Muara Enim figure over HTTP, once on SQLite and once on PostgreSQL: its two
 * programs (24,651 village apparatus and 2,124 palm-oil farmers, 26,775 workers covered
 * October–December 2025) seeded as `npm run demo` seeds them, then each month's invoice
 * issued over HTTP. Together they owe 26,775 × Rp16,800 × 3 = Rp1,349,460,000, and every
 * total is the sum of its lines.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { seedMuaraEnim } from '../apps/cli/src/commands/demo';
import { depsOf, peopleFor, seedContext } from '../apps/cli/src/seed/seed-ledger';
import { startLedgerApp, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { MUARA_ENIM } from './support/ledger-fixtures';

const MONTHS = ['2025-10', '2025-11', '2025-12'];

function demoSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let programIds: string[];

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    const seeded = await seedMuaraEnim(
      depsOf(ledger.runtime),
      seedContext('demo'),
      peopleFor(2026, '2025-10-01'),
    );
    expect(seeded.map((s) => s.approved)).toEqual([24_651, 2_124]);
    programIds = seeded.map((s) => s.programId);
  }, 900_000);
  afterAll(async () => {
    await ledger?.close();
  });

  it('owes exactly Rp1,349,460,000 for October–December', async () => {
    const finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    let owed = 0;
    let lines = 0;
    for (const programId of programIds) {
      for (const month of MONTHS) {
        const response = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
        expect(response.status).toBe(201);
        expect(response.body.totalAmount).toBe(response.body.lineCount * response.body.lineAmount);
        owed += response.body.totalAmount;
        lines += response.body.lineCount;
      }
      const listed = await ledger.get(`/api/programs/${programId}/invoices`, finance);
      expect(listed.body.invoices.map((i: { month: string }) => i.month)).toEqual(MONTHS);
    }
    expect(lines).toBe(26_775 * 3);
    expect(owed).toBe(1_349_460_000);
    // The frozen lines are the events' own: one line per enrollment, 5,000 at most per event.
    const events = await ledger.runtime.store.readStream(`dues-${programIds[0]}_2025-10`);
    const frozen = events.filter((e) => e.type === 'InvoiceLinesFrozen');
    expect(frozen.map((e) => (e.data as { enrollmentIds: string[] }).enrollmentIds.length)).toEqual([
      5_000, 5_000, 5_000, 5_000, 4_651,
    ]);
  }, 300_000);

  it('the finance reports say the same: owed, per program and month, as of the end of December', async () => {
    const finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    const head = await ledger.runtime.store.headPosition();
    const summary = await ledger.get(
      `/api/finance/summary?region=${MUARA_ENIM}&year=2025&asOf=2025-12-31&consistentWith=${head}`,
      finance,
    );
    expect(summary.status).toBe(200);
    expect(summary.body.totals).toMatchObject({ owed: 1_349_460_000, lines: 26_775 * 3, paid: 0 });
    expect(summary.body.months.map((m: { owed: number }) => m.owed)).toEqual([
      449_820_000, 449_820_000, 449_820_000,
    ]);
    let owed = 0;
    for (const programId of programIds) {
      const months = await ledger.get(`/api/finance/programs/${programId}/months?asOf=2025-12-31`, finance);
      expect(months.body.months.map((m: { month: string }) => m.month)).toEqual(MONTHS);
      owed += months.body.totals.owed;
    }
    expect(owed).toBe(1_349_460_000);
  }, 120_000);
}

describe('SQLite e2e: the demo’s Muara Enim contributions', () => demoSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: the demo’s Muara Enim contributions',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => demoSuite('postgres'),
);
