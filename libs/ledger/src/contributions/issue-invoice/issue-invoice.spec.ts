import { LINES_PER_EVENT } from '../contribution.events';
import { foldDues, issuedEvents, LINE, program, ruleOf } from '../dues.examples';
import { decideIssueInvoice, rosterDigestOf, type IssueInvoice } from './issue-invoice.decider';

const command = (over: Partial<IssueInvoice> = {}): IssueInvoice => ({
  type: 'IssueInvoice',
  month: '2025-12',
  issuedOn: '2025-12-01',
  today: '2025-12-01',
  role: 'finance',
  program,
  roster: ['e1', 'e2', 'e3'],
  frozenAtPosition: 42,
  nonWorkingDays: new Set(['2025-12-15']),
  ...over,
});

describe('issuing a month’s invoice', () => {
  it('freezes the roster with its control totals and the due date moved past a holiday', () => {
    const { events, existing, invoiceId } = decideIssueInvoice(command(), foldDues([]));
    expect(existing).toBeNull();
    expect(invoiceId).toBe('p1_2025-12');
    expect(events).toEqual([
      {
        type: 'InvoiceIssued',
        data: {
          invoiceId: 'p1_2025-12',
          programId: 'p1',
          month: '2025-12',
          payer: program.terms.payer,
          ownerRegion: '1603',
          benefitPackage: 'JKK_JKM',
          breakdown: program.terms.contribution,
          lineAmount: LINE,
          // The 15th is a holiday (and a Monday): due on Tuesday the 16th.
          dueDate: '2025-12-16',
          monthRule: 'any_day',
          lineCount: 3,
          totalAmount: 3 * LINE,
          rosterDigest: rosterDigestOf(['e1', 'e2', 'e3']),
          frozenAtPosition: 42,
          issuedOn: '2025-12-01',
        },
      },
      {
        type: 'InvoiceLinesFrozen',
        data: { invoiceId: 'p1_2025-12', fromLine: 0, enrollmentIds: ['e1', 'e2', 'e3'] },
      },
    ]);
  });

  it('the same month again gives its invoice and writes nothing', () => {
    const state = foldDues(issuedEvents(['e1'], 'p1_2025-10'));
    const again = decideIssueInvoice(
      command({ month: '2025-10', issuedOn: '2025-10-02', today: '2025-10-02' }),
      state,
    );
    expect(again.events).toEqual([]);
    expect(again.existing?.terms.invoiceId).toBe('p1_2025-10');
  });

  it('after a cancellation the month is issued again as _2', () => {
    const state = foldDues([
      ...issuedEvents(['e1'], 'p1_2025-10'),
      {
        type: 'InvoiceCancelled',
        data: { invoiceId: 'p1_2025-10', reason: 'salah', cancelledOn: '2025-10-02' },
      },
    ]);
    const again = decideIssueInvoice(
      command({ month: '2025-10', issuedOn: '2025-10-02', today: '2025-10-02' }),
      state,
    );
    expect(again.invoiceId).toBe('p1_2025-10_2');
  });

  it('chunks a large roster into bounded events numbered from their first line', () => {
    const roster = Array.from({ length: LINES_PER_EVENT * 2 + 1 }, (_, i) => `e${i}`);
    const { events } = decideIssueInvoice(command({ roster }), foldDues([]));
    const frozen = events
      .filter((e) => e.type === 'InvoiceLinesFrozen')
      .map((e) => e.data as { fromLine: number; enrollmentIds: string[] });
    expect(frozen.map((f) => [f.fromLine, f.enrollmentIds.length])).toEqual([
      [0, LINES_PER_EVENT],
      [LINES_PER_EVENT, LINES_PER_EVENT],
      [LINES_PER_EVENT * 2, 1],
    ]);
    expect(foldDues(events).invoices[0].lines).toEqual(roster);
  });

  it('refuses a month outside the period, a future issue day, and a past one without a backfill reason', () => {
    expect(ruleOf(() => decideIssueInvoice(command({ month: '2026-01' }), foldDues([])))).toBe(
      'invoice.monthOutsidePeriod',
    );
    expect(ruleOf(() => decideIssueInvoice(command({ month: '2025-09' }), foldDues([])))).toBe(
      'invoice.monthOutsidePeriod',
    );
    expect(
      ruleOf(() =>
        decideIssueInvoice(
          command({ month: '2025-12', program: { ...program, status: 'closed', closedOn: '2025-11-20' } }),
          foldDues([]),
        ),
      ),
    ).toBe('invoice.monthOutsidePeriod');
    expect(ruleOf(() => decideIssueInvoice(command({ issuedOn: '2025-12-02' }), foldDues([])))).toBe(
      'issuedOn.future',
    );
    expect(
      ruleOf(() =>
        decideIssueInvoice(command({ issuedOn: '2025-10-01', role: 'program_admin' }), foldDues([])),
      ),
    ).toBe('backfill.reasonRequired');
    const backfilled = decideIssueInvoice(
      command({
        issuedOn: '2025-10-01',
        role: 'program_admin',
        backfill: { reason: 'migration', note: null },
      }),
      foldDues([]),
    );
    expect(backfilled.events[0].data).toMatchObject({ backfill: { reason: 'migration', note: null } });
  });
});
