import { approved, attributes, program, proposed, stateOf } from '../../enrollment/enrollment.examples';
import type { Seats } from '../../enrollment/released-seats';
import { initialNikRegistry } from '../../participants/participant.events';
import type { DuesEvent, InvoiceTerms } from '../contribution.events';
import { allocate, currentInvoice, evolveDues, initialDuesState } from '../dues.state';
import { dueDateOf, graceEndOf, monthsBetween, type YearMonth } from '../obligation';
import type { SweptMonth } from '../sweep-lapses/sweep-lapses.decider';
import { decideReinstatements, type LapsedCoverage } from './reinstate.decider';

const NONE = new Set<string>();
const LINE = 16_800;

/** The month's invoice with lines e2, e1; `payments` are [lines paid, paid on] in order. */
function month(m: YearMonth, payments: [number, string][]): SweptMonth {
  const ids = ['e2', 'e1'];
  const terms = { invoiceId: `p1_${m}`, programId: 'p1', month: m, lineAmount: LINE } as InvoiceTerms;
  const events: DuesEvent[] = [
    {
      type: 'InvoiceIssued',
      data: {
        ...terms,
        dueDate: dueDateOf(m, NONE),
        lineCount: 2,
        totalAmount: 2 * LINE,
        rosterDigest: '',
        frozenAtPosition: 0,
        issuedOn: `${m}-01`,
      },
    },
    { type: 'InvoiceLinesFrozen', data: { invoiceId: terms.invoiceId, fromLine: 0, enrollmentIds: ids } },
  ];
  let paid = 0;
  payments.forEach(([lines, paidOn], i) => {
    events.push({
      type: 'PaymentRecorded',
      data: {
        invoiceId: terms.invoiceId,
        paymentId: `pay-${m}-${i}`,
        amount: lines * LINE,
        paidOn,
        reference: `ref-${m}-${i}`,
        sp2dNumber: null,
        allocation: allocate(paid, paid + lines * LINE, [0, 1], LINE),
      },
    });
    paid += lines * LINE;
  });
  const invoice = currentInvoice(events.reduce(evolveDues, initialDuesState()));
  return {
    month: m,
    dueDate: dueDateOf(m, NONE),
    graceEnd: graceEndOf(m, NONE),
    invoice,
    lineOf: new Map(ids.map((id, i) => [id, i])),
  };
}

const e1 = stateOf([proposed, approved]);
/** e1 lapsed on the sweep of 16 May: February to May unpaid, covered until 15 May. */
const lapsed = (registry = initialNikRegistry()): LapsedCoverage => ({
  before: e1,
  lapse: {
    enrollmentId: 'e1',
    programId: 'p1',
    participantId: 'u1',
    coverageFrom: e1.coverageFrom!,
    effectiveDate: '2026-05-15',
    unpaidMonths: ['2026-02', '2026-03', '2026-04', '2026-05'],
    decidedOn: '2026-05-16',
    ...attributes,
  },
  registry,
});
/** January paid in full; afterwards only e2's line, and February's second line as `late` says. */
const months = (late: [number, string][]) =>
  monthsBetween('2026-01', '2026-05').map((m) =>
    month(
      m,
      m === '2026-01'
        ? [[2, '2026-01-10']]
        : m === '2026-02'
          ? [[1, '2026-02-10'], ...late]
          : [[1, `${m}-10`]],
    ),
  );
const decide = (
  late: [number, string][],
  paidOn: string,
  over = {},
  seats: Seats = { inUse: 1, released: { '2026-05-15': 1 } },
  registry = initialNikRegistry(),
) =>
  decideReinstatements({
    program: program(over),
    seats,
    months: months(late),
    lapsed: [lapsed(registry)],
    payment: { invoiceId: 'p1_2026-02', paymentId: 'pay-late', paidOn },
  });

describe('reinstating a lapse a late-recorded payment shows wrong', () => {
  it('February paid on 10 May, before the sweep of 16 May: reinstated from 16 May, seat and claim back, every month told', () => {
    const { events, reinstated, standing } = decide([[1, '2026-05-10']], '2026-05-10');
    expect({ reinstated, standing }).toEqual({ reinstated: ['e1'], standing: [] });
    expect(events.map((e) => [e.streamId, e.event.type])).toEqual([
      ['enrollment-e1', 'CoverageReinstated'],
      ['seats-p1', 'SeatsTaken'],
      ['nik-k1', 'CoverageClaimed'],
      ['dues-p1_2026-02', 'LapseReverted'],
      ['dues-p1_2026-03', 'LapseReverted'],
      ['dues-p1_2026-04', 'LapseReverted'],
      ['dues-p1_2026-05', 'LapseReverted'],
    ]);
    expect(events[0].event.data).toMatchObject({
      previous: { coverageFrom: e1.coverageFrom, endedOn: '2026-05-15' },
      endedOn: null,
      effectiveDate: '2026-05-16',
      lapseDecidedOn: '2026-05-16',
      paidOn: '2026-05-10',
    });
    // The released seat's last day leaves the summary: the seat is in use again.
    expect(events[1].event.data).toEqual({ programId: 'p1', enrollmentIds: ['e1'], inUse: 2 });
    expect(events[3].event.data).toEqual({
      invoiceId: 'p1_2026-02',
      lines: [1],
      asOf: '2026-05-16',
      paymentId: 'pay-late',
    });
  });

  it('a payment dated after the sweep’s day leaves the lapse: it stood on that day', () => {
    expect(decide([[1, '2026-05-20']], '2026-05-20')).toEqual({ events: [], reinstated: [], standing: [] });
  });

  it('a payment that leaves the four months unpaid leaves the lapse', () => {
    // Half a line: February stays partly paid, so unpaid.
    expect(decide([[0.5, '2026-05-10']], '2026-05-10').reinstated).toEqual([]);
  });

  it('no seat left under the quota, or the NIK covered again elsewhere: the lapse stands, flagged with its rule', () => {
    const full = decide([[1, '2026-05-10']], '2026-05-10', { quota: 1 }, { inUse: 1, released: {} });
    expect(full).toMatchObject({
      events: [],
      reinstated: [],
      standing: [{ enrollmentId: 'e1', rule: 'enrollment.quota' }],
    });
    const registry = initialNikRegistry();
    registry.claims.set('e9', { programId: 'p2' });
    const elsewhere = decide([[1, '2026-05-10']], '2026-05-10', {}, undefined, registry);
    expect(elsewhere).toMatchObject({
      events: [],
      standing: [{ enrollmentId: 'e1', rule: 'lapse.coveredAgain' }],
    });
  });
});
