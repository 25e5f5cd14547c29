import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { addDays } from '@ledger/ledger/shared/dates';
import { enrollmentsProjection } from '../enrollments/enrollments.projection';
import { programsProjection } from '../programs/programs.projection';
import type { ReadQuery } from '../read-schema';
import { ProjectionRunner } from '../runner/projection-runner';
import type { GivenEvent } from '../testing/given-events';
import {
  approved,
  deregistered,
  enrollment,
  PROGRAM,
  programEstablished,
  proposed,
} from '../testing/ledger-events';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { contributionMonths } from './contribution-months/contribution-months.query';
import { financeProjection } from './invoices/invoices.projection';
import { financePrograms, programsMonths, type MonthFigures } from './program-months/program-months.query';
import { refundableReport } from './refundable/refundable-report.query';
import { financeSummary } from './summary/finance-summary.query';
import {
  adjusted,
  cancelled,
  invoiceIdOf,
  issued,
  lapsed,
  LINE,
  paid,
  refunded,
} from './testing/dues-events';

const WORKERS = 12;

/** A deterministic pseudo-random sequence (so a failure is reproduced by its seed). */
function sequence(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    // The high bits: the low bits of this generator repeat with short periods.
    return Math.floor(state / 65_536) % n;
  };
}

/**
 * Half a year of a program of twelve workers: an invoice a month, payments of random amounts
 * on random days (some late, some partial, some over), February's invoice cancelled and
 * issued again, a line cancelled in March after a death, a deregistration in April whose
 * May is refunded, a lapse.
 */
function halfYear(seed: number): GivenEvent[] {
  const random = sequence(seed);
  const events: GivenEvent[] = [
    programEstablished({ budgetCeiling: 3_000_000, quota: 20 }),
    ...Array.from({ length: WORKERS }, (_, i) => [
      proposed(i + 1, { proposedOn: '2025-12-15' }),
      approved(i + 1, '2026-01-01'),
    ]).flat(),
  ];
  const all = Array.from({ length: WORKERS }, (_, i) => i + 1);
  for (let m = 1; m <= 6; m++) {
    const month = `2026-0${m}`;
    let invoiceId = invoiceIdOf(month);
    events.push(...issued(month, all, { issuedOn: `${month}-02` }));
    if (m === 2) {
      events.push(cancelled(invoiceId, '2026-02-03'));
      invoiceId = invoiceIdOf(month, PROGRAM, 2);
      events.push(...issued(month, all, { issuedOn: '2026-02-04', n: 2 }));
    }
    let active = all.map((n) => n - 1);
    let before = 0;
    const payments = m === 5 ? 1 : random(4);
    for (let p = 0; p < payments; p++) {
      const amount = m === 5 ? WORKERS * LINE : (1 + random(WORKERS)) * LINE + (random(2) ? random(LINE) : 0);
      const paidOn = addDays(`${month}-03`, random(45));
      events.push(paid(invoiceId, amount, paidOn, before, active));
      before += amount;
      if (m === 3 && p === 0) {
        // Worker 5 died on 20 February: their March line is cancelled, the money allocated again.
        active = active.filter((line) => line !== 4);
        events.push(adjusted(invoiceId, '2026-03-10', { cancelled: [4], activeAfter: active, paid: before }));
      }
    }
    if (m === 3 && payments === 0) {
      active = active.filter((line) => line !== 4);
      events.push(adjusted(invoiceId, '2026-03-10', { cancelled: [4], activeAfter: active, paid: 0 }));
    }
  }
  events.push(deregistered(5, '2026-01-01', '2026-02-20', 'deceased'));
  // Worker 9's move recorded before any invoice (odd seeds: the rosters are frozen after it) or after all.
  const moved = deregistered(9, '2026-01-01', '2026-04-03', 'moved_away');
  if (seed % 2 === 1) events.splice(1 + 2 * WORKERS, 0, moved);
  else events.push(moved);
  // May was paid in full: worker 9's May line (line 8) is refunded in June.
  events.push(refunded(invoiceIdOf('2026-05'), '2026-06-20', [8], 0, 'deregistered'));
  events.push(lapsed(12, '2026-05-15', '2026-01-01'));
  return events;
}

/** What the events alone say was owed, paid and refunded by `on`. */
function fromEvents(events: GivenEvent[], on: string) {
  const invoices = new Map<
    string,
    { issuedOn: string; total: number; cancelledOn: string | null; adjust: [string, number][] }
  >();
  let paidSum = 0;
  let refundedSum = 0;
  for (const e of events) {
    const d = e.data as Record<string, never>;
    if (e.type === 'InvoiceIssued') {
      // A first invoice owes from its month's first day (or its earlier issue), a re-issue from its issue.
      const first = `${String(d.month)}-01`;
      const from =
        String(d.invoiceId).split('_').length > 2 || String(d.issuedOn) < first ? d.issuedOn : first;
      invoices.set(d.invoiceId, { issuedOn: from, total: d.totalAmount, cancelledOn: null, adjust: [] });
    }
    if (e.type === 'InvoiceCancelled') invoices.get(d.invoiceId)!.cancelledOn = d.cancelledOn;
    if (e.type === 'InvoiceAdjusted') invoices.get(d.invoiceId)!.adjust.push([d.adjustedOn, d.amountDelta]);
    if (e.type === 'PaymentRecorded' && String(d.paidOn) <= on) paidSum += Number(d.amount);
    if (e.type === 'RefundRecorded' && String(d.agreedOn) <= on) refundedSum += Number(d.amount);
  }
  let owed = 0;
  for (const i of invoices.values()) {
    if (i.issuedOn > on || (i.cancelledOn !== null && i.cancelledOn <= on)) continue;
    owed += i.total + i.adjust.filter(([day]) => day <= on).reduce((s, [, delta]) => s + delta, 0);
  }
  return { owed, paid: paidSum, refunded: refundedSum };
}

const FIGURE_KEYS: (keyof MonthFigures)[] = [
  'owed',
  'paid',
  'outstanding',
  'overpaid',
  'refundable',
  'refunded',
  'lines',
  'paidLines',
  'partialLines',
  'unpaidLines',
  'lapsedWorkers',
];

function sumOf(rows: MonthFigures[]) {
  const out: Record<string, number> = {};
  for (const key of [...FIGURE_KEYS, 'upTo1', 'months2', 'months3', 'over3'])
    out[key] = rows.reduce(
      (s, r) =>
        s +
        Number(
          key in r.arrears ? r.arrears[key as keyof MonthFigures['arrears']] : r[key as keyof MonthFigures],
        ),
      0,
    );
  return out;
}

function flatten(f: MonthFigures) {
  return sumOf([f]);
}

function metadata(): NewEvent['metadata'] {
  return {
    eventId: randomUUID(),
    occurredAt: '2026-07-01T03:00:00.000Z',
    actor: { id: 'keuangan-muara-enim', role: 'finance', region: '1603' },
    schemaVersion: 1,
  };
}

const projections = [programsProjection, enrollmentsProjection, financeProjection];

async function dump(read: ReadQuery) {
  return {
    invoices: await read.selectFrom('finance_invoices').selectAll().orderBy('invoice_id').execute(),
    lines: await read
      .selectFrom('finance_invoice_lines')
      .selectAll()
      .orderBy('invoice_id')
      .orderBy('line')
      .execute(),
    deltas: await read
      .selectFrom('finance_deltas')
      .selectAll()
      .orderBy('program_id')
      .orderBy('month')
      .orderBy('invoice_id')
      .orderBy('measure')
      .orderBy('day')
      .execute(),
  };
}

function suite(target: ReadDbTarget) {
  return () => {
    const fixture = readFixture(target, 'ledger-finance-sums-');

    /** Appends the events one write each, the live runner catching up every few writes. */
    async function live(events: GivenEvent[]) {
      const runner = new ProjectionRunner(fixture.store, fixture.read, projections, { batchSize: 7 });
      await runner.install();
      for (const [i, event] of events.entries()) {
        await fixture.store.append([
          {
            streamId: event.stream,
            events: [{ type: event.type, data: event.data, metadata: metadata() }],
            expected: 'any',
          },
        ]);
        if (i % 5 === 0) await runner.catchUp();
      }
      await runner.catchUp();
      return runner;
    }

    it.each([7, 1813, 424242])('every report sums to its lines and to the events (seed %i)', async (seed) => {
      const events = halfYear(seed);
      await live(events);
      const read = fixture.read.query;
      const [program] = await financePrograms(read, [PROGRAM]);
      for (let on = '2026-01-01'; on <= '2026-07-31'; on = addDays(on, 9)) {
        const [found] = await programsMonths(read, [program], on);
        const totals = flatten(found.totals);
        expect(sumOf(found.months)).toEqual(totals);
        const expected = fromEvents(events, on);
        expect({ owed: totals.owed, paid: totals.paid, refunded: totals.refunded }).toEqual(expected);
        // Per month: what is owed is what was paid of it and what is still outstanding.
        for (const m of found.months) {
          expect(m.owed).toBe(m.paid - m.overpaid + m.outstanding);
          const arrears = m.arrears.upTo1 + m.arrears.months2 + m.arrears.months3 + m.arrears.over3;
          expect(arrears).toBe(m.dueDate !== null && on > m.dueDate ? m.outstanding : 0);
          expect(m.lines).toBe(m.paidLines + m.partialLines + m.unpaidLines);
        }
        for (const value of Object.values(totals)) expect(Number.isInteger(value)).toBe(true);
        if (addDays(on, 9) > '2026-07-31') {
          // The history met what the sums must hold through: partial and over-payments,
          // refundable and refunded months, arrears, a lapse.
          for (const key of ['partialLines', 'overpaid', 'refundable', 'refunded', 'over3', 'lapsedWorkers'])
            expect(totals[key]).toBeGreaterThan(0);
        }

        const summary = await financeSummary(read, '1603', 2026, on);
        expect(flatten(summary.totals)).toEqual(totals);
        expect(sumOf(summary.months)).toEqual(totals);

        const refundable = await refundableReport(
          read,
          { regions: ['1603'], region: '1603', payer: null },
          on,
        );
        expect(refundable.totals.total).toBe(totals.refundable);
        expect(refundable.totals.total).toBe(refundable.totals.linesAmount + refundable.totals.overpaid);
        expect(refundable.lines.reduce((s, l) => s + l.amount, 0)).toBe(refundable.totals.linesAmount);
        expect(refundable.payers.reduce((s, p) => s + p.total, 0)).toBe(refundable.totals.total);

        const months = await contributionMonths(
          read,
          Array.from({ length: WORKERS }, (_, i) => enrollment(i + 1)),
          on,
        );
        expect(months).toHaveLength(totals.lines);
        expect(months.reduce((s, m) => s + m.paid, 0)).toBe(totals.paid - totals.overpaid);
        expect(months.filter((m) => m.state === 'refundable').reduce((s, m) => s + m.paid, 0)).toBe(
          refundable.totals.linesAmount,
        );
      }
    });

    it('a rebuild from the log equals the read model built live, batch by batch', async () => {
      const runner = await live(halfYear(99));
      const built = await dump(fixture.read.query);
      expect(built.invoices).toHaveLength(7);
      expect(built.lines.length).toBe(7 * WORKERS);
      await runner.rebuild('finance');
      expect(await dump(fixture.read.query)).toEqual(built);
    });
  };
}

describe('SQLite: finance figures against the events', suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: finance figures against the events',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  suite(readDbTargets.postgres),
);
