import { approved, attributes, program, proposed, stateOf } from '../../enrollment/enrollment.examples';
import type { EnrollmentEvent } from '../../enrollment/enrollment.events';
import { streams } from '../../shared/streams';
import type { DuesEvent, InvoiceTerms } from '../contribution.events';
import { allocate, currentInvoice, evolveDues, initialDuesState } from '../dues.state';
import { addMonths, dueDateOf, graceEndOf, monthsBetween, type YearMonth } from '../obligation';
import { decideSweep, type SweptMonth } from './sweep-lapses.decider';

const NONE = new Set<string>();
const LINE = 16_800;

/** The month's invoice with `ids` as its lines, the first `paid` of them paid in full. */
function month(m: YearMonth, ids: string[], paid: number, invoiced = true): SweptMonth {
  const terms = {
    invoiceId: `p1_${m}`,
    programId: 'p1',
    month: m,
    lineAmount: LINE,
    dueDate: dueDateOf(m, NONE),
  } as InvoiceTerms;
  const events: DuesEvent[] = [
    {
      type: 'InvoiceIssued',
      data: {
        ...terms,
        lineCount: ids.length,
        totalAmount: ids.length * LINE,
        rosterDigest: '',
        frozenAtPosition: 0,
        issuedOn: `${m}-01`,
      },
    },
    { type: 'InvoiceLinesFrozen', data: { invoiceId: terms.invoiceId, fromLine: 0, enrollmentIds: ids } },
  ];
  if (paid > 0) {
    const lines = ids.map((_, i) => i);
    events.push({
      type: 'PaymentRecorded',
      data: {
        invoiceId: terms.invoiceId,
        paymentId: `pay-${m}`,
        amount: paid * LINE,
        paidOn: `${m}-10`,
        reference: `ref-${m}`,
        sp2dNumber: null,
        allocation: allocate(0, paid * LINE, lines, LINE),
      },
    });
  }
  const invoice = invoiced ? currentInvoice(events.reduce(evolveDues, initialDuesState())) : null;
  return {
    month: m,
    dueDate: dueDateOf(m, NONE),
    graceEnd: graceEndOf(m, NONE),
    invoice,
    lineOf: new Map(invoice ? ids.map((id, i) => [id, i]) : []),
  };
}

/** A second worker e2, approved like e1 from 1 February 2026. */
const second: EnrollmentEvent[] = [
  { ...proposed, data: { ...proposed.data, enrollmentId: 'e2', participantId: 'u2', nikKey: 'k2' } },
  { ...approved, data: { ...approved.data, enrollmentId: 'e2', participantId: 'u2' } },
] as EnrollmentEvent[];
const e1 = stateOf([proposed, approved]);
const e2 = stateOf(second);
const seats = { inUse: 2, released: {} };
const sweep = (asOf: string, months: SweptMonth[], candidates = [e1, e2], over = {}) =>
  decideSweep(
    { type: 'SweepLapses', programId: 'p1', asOf },
    { program: program(over), seats, months, candidates },
  );

/** February to July: e1 (line 1) never paid, e2 (line 0) paid every month. */
const unpaidFromFebruary = monthsBetween('2026-02', '2026-07').map((m) => month(m, ['e2', 'e1'], 1));

describe('sweep-lapses', () => {
  it('four consecutive months unpaid past due: the coverage lapses at the end of the first one’s grace', () => {
    // February's grace ends on May's due date, Friday 15 May 2026.
    const { events, lapses } = sweep('2026-05-16', unpaidFromFebruary);
    expect(lapses).toEqual([
      {
        enrollmentId: 'e1',
        lastCoveredDay: '2026-05-15',
        unpaidMonths: ['2026-02', '2026-03', '2026-04', '2026-05'],
      },
    ]);
    expect(events.map((e) => [e.streamId, e.event.type])).toEqual([
      [streams.enrollment('e1'), 'CoverageLapsed'],
      [streams.seats('p1'), 'SeatsReleased'],
      [streams.nik('k1'), 'CoverageReleased'],
      ...['2026-02', '2026-03', '2026-04', '2026-05'].map((m) => [streams.dues('p1', m), 'LapseDecided']),
    ]);
    expect(events[0].event.data).toEqual({
      enrollmentId: 'e1',
      programId: 'p1',
      participantId: 'u1',
      coverageFrom: '2026-02-01',
      effectiveDate: '2026-05-15',
      unpaidMonths: ['2026-02', '2026-03', '2026-04', '2026-05'],
      decidedOn: '2026-05-16',
      ...attributes,
    });
    expect(events[1].event.data).toEqual({
      programId: 'p1',
      enrollmentIds: ['e1'],
      inUse: 1,
      released: { '2026-05-15': 1 },
    });
    expect(events[3].event.data).toEqual({ invoiceId: 'p1_2026-02', lines: [1], asOf: '2026-05-16' });
  });

  it('on the last day of the grace nothing lapses yet', () => {
    expect(sweep('2026-05-15', unpaidFromFebruary).events).toEqual([]);
  });

  it('arrears paid within the grace prevent the lapse; the next run of four unpaid months decides', () => {
    const paidMarch = unpaidFromFebruary.map((m) =>
      m.month === '2026-03' ? month(m.month, ['e2', 'e1'], 2) : m,
    );
    expect(sweep('2026-06-16', paidMarch).lapses).toEqual([]);
    // April to July unpaid: lapses after April's grace, the due date of July (15 July 2026).
    expect(sweep('2026-07-16', paidMarch).lapses).toEqual([
      {
        enrollmentId: 'e1',
        lastCoveredDay: '2026-07-15',
        unpaidMonths: ['2026-04', '2026-05', '2026-06', '2026-07'],
      },
    ]);
  });

  it('a partly paid line, and a month with no invoice or without the worker’s line, count as unpaid', () => {
    const months = [
      month('2026-02', ['e2', 'e1'], 1),
      month('2026-03', ['e2', 'e1'], 1, false),
      month('2026-04', ['e2'], 1),
      month('2026-05', ['e2', 'e1'], 1),
    ];
    // One and a half lines paid in May: e1's line is partly paid.
    const may = months[3];
    const paidHalf = { ...may.invoice!, allocation: allocate(0, LINE * 1.5, [0, 1], LINE) };
    months[3] = { ...may, invoice: paidHalf };
    const { lapses, events } = sweep('2026-05-16', months);
    expect(lapses.map((l) => l.enrollmentId)).toEqual(['e1']);
    // No LapseDecided where there is no invoice; the line list is empty where e1 had no line.
    expect(events.filter((e) => e.event.type === 'LapseDecided').map((e) => e.event.data)).toEqual([
      { invoiceId: 'p1_2026-02', lines: [1], asOf: '2026-05-16' },
      { invoiceId: 'p1_2026-04', lines: [], asOf: '2026-05-16' },
      { invoiceId: 'p1_2026-05', lines: [1], asOf: '2026-05-16' },
    ]);
  });

  it('a coverage ended already (a lapse decided before, a deregistration) is not swept again', () => {
    const { events } = sweep('2026-05-16', unpaidFromFebruary);
    const lapsedState = stateOf([proposed, approved, events[0].event as unknown as EnrollmentEvent]);
    expect(lapsedState).toMatchObject({ status: 'deregistered', endedOn: '2026-05-15' });
    expect(sweep('2026-05-16', unpaidFromFebruary, [lapsedState, e2]).events).toEqual([]);
    expect(sweep('2026-08-01', unpaidFromFebruary, [lapsedState, e2]).events).toEqual([]);
  });

  it('a coverage that ends before its grace would is left to end on its own day', () => {
    // The program ends on 10 May: February's grace (15 May) is after it.
    expect(
      sweep('2026-05-16', unpaidFromFebruary, [e1, e2], { period: { from: '2026-01-01', to: '2026-05-10' } })
        .events,
    ).toEqual([]);
  });

  it('several lapses of one program count the seats down one after the other', () => {
    const none = monthsBetween('2026-02', '2026-05').map((m) => month(m, ['e2', 'e1'], 0));
    const { events, lapses } = sweep('2026-05-16', none);
    expect(lapses.map((l) => l.enrollmentId)).toEqual(['e1', 'e2']);
    const seatEvents = events.filter((e) => e.event.type === 'SeatsReleased').map((e) => e.event.data);
    expect(seatEvents.map((d) => (d as { inUse: number }).inUse)).toEqual([1, 0]);
    expect((seatEvents[1] as { released: object }).released).toEqual({ '2026-05-15': 2 });
    expect(events.filter((e) => e.event.type === 'LapseDecided').map((e) => e.event.data)).toEqual(
      ['2026-02', '2026-03', '2026-04', '2026-05'].map((m) => ({
        invoiceId: `p1_${m}`,
        lines: [0, 1],
        asOf: '2026-05-16',
      })),
    );
  });

  it('the month rule decides which months are owed', () => {
    // Coverage from 2 February: under first_day February is not owed, so March to June must be unpaid.
    const late = stateOf([
      proposed,
      { ...approved, data: { ...approved.data, coverageFrom: '2026-02-02' } } as EnrollmentEvent,
    ]);
    expect(sweep('2026-05-16', unpaidFromFebruary, [late], { monthRule: 'first_day' }).lapses).toEqual([]);
    expect(sweep('2026-06-16', unpaidFromFebruary, [late], { monthRule: 'first_day' }).lapses).toEqual([
      {
        enrollmentId: 'e1',
        lastCoveredDay: '2026-06-15',
        unpaidMonths: ['2026-03', '2026-04', '2026-05', '2026-06'],
      },
    ]);
    expect(addMonths('2026-03', 3)).toBe('2026-06');
  });

  it('only payments made by asOf count: a later sweep for an earlier day decides as that day would', () => {
    // February's arrears paid on 20 May, after the grace: on 16 May they were unpaid.
    const paidLate = unpaidFromFebruary.map((m) => {
      if (m.month !== '2026-02') return m;
      const invoice = m.invoice!;
      const late = {
        paymentId: 'late',
        amount: LINE,
        paidOn: '2026-05-20',
        reference: 'late',
        sp2dNumber: null,
        allocation: allocate(LINE, 2 * LINE, [0, 1], LINE),
      };
      return {
        ...m,
        invoice: {
          ...invoice,
          paid: 2 * LINE,
          allocation: late.allocation,
          payments: [...invoice.payments, late],
        },
      };
    });
    expect(sweep('2026-05-16', paidLate).lapses.map((l) => l.lastCoveredDay)).toEqual(['2026-05-15']);
    // As of 20 May February is paid; March to June are not, so a later lapse is decided then.
    expect(sweep('2026-05-20', paidLate).lapses).toEqual([]);
  });

  it('a malformed asOf is refused naming the field', () => {
    expect(() => sweep('16-05-2026', unpaidFromFebruary)).toThrow(
      expect.objectContaining({ rule: 'sweep.asOf' }),
    );
  });
});
