import type { NikRegistryEvent } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import { isIsoDate, minDate, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { EnrollmentEvent, SeatsEvent } from '../../enrollment/enrollment.events';
import {
  coverageAttributes,
  programCoverageEnd,
  releases,
  type EnrollmentState,
} from '../../enrollment/enrollment.state';
import type { Seats } from '../../enrollment/released-seats';
import type { CoverageLapsedEvent, DuesEvent } from '../contribution.events';
import { activeLines, allocate, isLinePaid, type InvoiceState } from '../dues.state';
import { addMonths, DEFAULT_MONTH_RULE, GRACE_MONTHS, owesMonth, type YearMonth } from '../obligation';

export interface SweepLapses {
  type: 'SweepLapses';
  programId: string;
  /** The sweep's own "now": the day it decides for. */
  asOf: IsoDate;
}

/** One month of the program whose due date passed before `asOf`, as its dues stream holds it. */
export interface SweptMonth {
  month: YearMonth;
  dueDate: IsoDate;
  /** The last day this month's arrears may be paid without a lapse. */
  graceEnd: IsoDate;
  /** The month's invoice that is not cancelled; null when none (the month counts as unpaid). */
  invoice: InvoiceState | null;
  /** Line index of each enrollment on that invoice. */
  lineOf: ReadonlyMap<string, number>;
}

export interface SweepInput {
  program: ExistingProgram;
  seats: Seats;
  /** The past-due months in order. */
  months: SweptMonth[];
  /** The enrollments that may lapse, as their own streams hold them. */
  candidates: EnrollmentState[];
}

export interface Lapse {
  enrollmentId: string;
  lastCoveredDay: IsoDate;
  unpaidMonths: YearMonth[];
}

/**
 * The invoice as it was paid by `asOf`: only payments made on or before that day count (a
 * sweep run later for an earlier day decides as that day would have), allocated in line
 * order like every payment.
 */
export function invoiceAsOf(invoice: InvoiceState, asOf: IsoDate): InvoiceState {
  const paid = invoice.payments.filter((p) => p.paidOn <= asOf).reduce((sum, p) => sum + p.amount, 0);
  if (paid === invoice.paid) return invoice;
  return {
    ...invoice,
    paid,
    allocation: allocate(0, paid, activeLines(invoice), invoice.terms.lineAmount),
  };
}

/** The asOf of a sweep, checked before anything is read. */
export function checkAsOf(asOf: unknown): asserts asOf is IsoDate {
  if (!isIsoDate(asOf)) {
    throw new RuleViolation('sweep.asOf', 'asOf harus berupa tanggal YYYY-MM-DD', 'unprocessable', {
      field: 'asOf',
    });
  }
}

/**
 * The first run of more than `GRACE_MONTHS` consecutive owed months left unpaid, all past
 * due, of one coverage; null when there is none or when the coverage ends before its grace
 * would (it is over by then anyway).
 */
export function lapseOf(
  state: EnrollmentState,
  input: Omit<SweepInput, 'candidates' | 'seats'>,
): Lapse | null {
  if (state.status !== 'approved' || state.coverageFrom === null) return null;
  const programEnd = programCoverageEnd(input.program);
  const coverage = {
    from: state.coverageFrom,
    to: state.endedOn ? minDate(state.endedOn, programEnd) : programEnd,
  };
  const rule = input.program.terms.monthRule ?? DEFAULT_MONTH_RULE;
  const unpaid = (m: SweptMonth) => {
    const line = m.invoice ? m.lineOf.get(state.enrollmentId) : undefined;
    return line === undefined || !isLinePaid(m.invoice!, line);
  };
  const owed = input.months.filter((m) => owesMonth(coverage, m.month, rule));
  const run = GRACE_MONTHS + 1;
  for (let i = 0; i + run <= owed.length; i++) {
    const window = owed.slice(i, i + run);
    const consecutive = window.every((m, k) => m.month === addMonths(owed[i].month, k));
    if (!consecutive || !window.every(unpaid)) continue;
    const lastCoveredDay = owed[i].graceEnd;
    if (lastCoveredDay >= coverage.to) return null;
    return { enrollmentId: state.enrollmentId, lastCoveredDay, unpaidMonths: window.map((m) => m.month) };
  }
  return null;
}

/**
 * The sweep of one program on `asOf`: every candidate coverage with more than three
 * consecutive owed months unpaid past their due dates lapses on the end of the first one's
 * grace (`CoverageLapsed`), gives back its seat and its NIK claim as a deregistration does,
 * and every dues stream it relied on gets a `LapseDecided` naming the lines — so a payment
 * racing the sweep conflicts with it and one of the two decides again. A coverage already
 * ended (a lapse decided before) is not a candidate any more: a rerun appends nothing.
 */
export function decideSweep(
  command: SweepLapses,
  input: SweepInput,
): {
  events: StreamEvent<EnrollmentEvent | CoverageLapsedEvent | SeatsEvent | NikRegistryEvent | DuesEvent>[];
  lapses: Lapse[];
} {
  checkAsOf(command.asOf);
  const pastDue = input.months
    .filter((m) => m.dueDate < command.asOf)
    .map((m) => (m.invoice ? { ...m, invoice: invoiceAsOf(m.invoice, command.asOf) } : m));
  const events: StreamEvent<
    EnrollmentEvent | CoverageLapsedEvent | SeatsEvent | NikRegistryEvent | DuesEvent
  >[] = [];
  const lapses: Lapse[] = [];
  const relied = new Map<YearMonth, number[]>();
  let seats = input.seats;
  for (const state of input.candidates) {
    if (state.programId !== command.programId) continue;
    const lapse = lapseOf(state, { program: input.program, months: pastDue });
    if (!lapse) continue;
    lapses.push(lapse);
    events.push({
      streamId: streams.enrollment(state.enrollmentId),
      event: {
        type: 'CoverageLapsed',
        data: {
          enrollmentId: state.enrollmentId,
          programId: state.programId,
          participantId: state.participantId,
          coverageFrom: state.coverageFrom!,
          effectiveDate: lapse.lastCoveredDay,
          unpaidMonths: lapse.unpaidMonths,
          decidedOn: command.asOf,
          ...coverageAttributes(state),
        },
      },
    });
    const released = releases(state, lapse.lastCoveredDay, seats, {
      coverage: { from: state.coverageFrom!, to: lapse.lastCoveredDay },
      programStart: input.program.terms.period.from,
    });
    events.push(...released);
    // The next lapse of the same write counts from the seats this one left.
    const data = (released[0].event as Extract<SeatsEvent, { type: 'SeatsReleased' }>).data;
    seats = { inUse: data.inUse, released: data.released ?? {} };
    for (const month of lapse.unpaidMonths) {
      const m = pastDue.find((p) => p.month === month)!;
      const line = m.lineOf.get(state.enrollmentId);
      const lines = relied.get(month) ?? [];
      if (line !== undefined) lines.push(line);
      relied.set(month, lines);
    }
  }
  for (const [month, lines] of [...relied].sort(([a], [b]) => a.localeCompare(b))) {
    const m = pastDue.find((p) => p.month === month)!;
    if (!m.invoice) continue;
    events.push({
      streamId: streams.dues(command.programId, month),
      event: {
        type: 'LapseDecided',
        data: {
          invoiceId: m.invoice.terms.invoiceId,
          lines: lines.sort((a, b) => a - b),
          asOf: command.asOf,
        },
      },
    });
  }
  return { events, lapses };
}
