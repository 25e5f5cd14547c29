import type { NikRegistryEvent, NikRegistryState } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import { addDays, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { SeatsEvent } from '../../enrollment/enrollment.events';
import { coverageAttributes, type EnrollmentState } from '../../enrollment/enrollment.state';
import { checkQuotaOverTime, releasedField, withReleased, type Seats } from '../../enrollment/released-seats';
import type { CoverageLapsedEvent, CoverageReinstatedEvent, DuesEvent } from '../contribution.events';
import { invoiceAsOf, lapseOf, type SweptMonth } from '../sweep-lapses/sweep-lapses.decider';

/**
 * Why a lapse is undone rather than left standing. The domain: arrears may be paid up to three
 * months late, and only more than three consecutive unpaid months end the membership. The
 * sweep decides a lapse on its own day (`asOf`) from the payments the ledger knew, counting
 * those dated on or before that day. A payment dated on or before that day but recorded after
 * the sweep (a transfer booked late, a bank statement entered later) is money that was paid in
 * time: with it the sweep would not have lapsed the coverage on that day, so the membership
 * never ended. The ledger then records that the lapse is undone — a new event dated back to
 * the day after the lapse's last covered day — instead of keeping a lapse its own rule now
 * contradicts. A payment dated after the sweep's day does not undo it: the lapse stood on that
 * day, and the money is refundable.
 *
 * A reinstatement takes the seat and the NIK claim back. When it cannot (the quota is used by
 * then, or the worker was enrolled again, so the NIK is covered elsewhere after the lapse), the
 * payment is still recorded — money that was paid is a fact — and the lapse stands, flagged in
 * the payment's answer with the rule that keeps it.
 */

/** A coverage a lapse on this invoice ended, as its streams hold it. */
export interface LapsedCoverage {
  /** The enrollment folded up to, not including, its `CoverageLapsed`. */
  before: EnrollmentState;
  lapse: CoverageLapsedEvent['data'];
  registry: NikRegistryState;
}

export interface Reinstate {
  program: ExistingProgram;
  seats: Seats;
  /** The program's months from its start, with the invoices as they stand after the payment. */
  months: SweptMonth[];
  lapsed: LapsedCoverage[];
  payment: { invoiceId: string; paymentId: string; paidOn: IsoDate };
}

export interface LapseStanding {
  enrollmentId: string;
  rule: string;
  message: string;
}

type Decided = StreamEvent<CoverageReinstatedEvent | SeatsEvent | NikRegistryEvent | DuesEvent>;

/** Whether the sweep, on the lapse's own day and with the payments known now, would still lapse it there. */
export function lapseStillHolds(
  lapsed: LapsedCoverage,
  input: Pick<Reinstate, 'program' | 'months'>,
): boolean {
  const asOf = lapsed.lapse.decidedOn;
  const pastDue = input.months
    .filter((m) => m.dueDate < asOf)
    .map((m) => (m.invoice ? { ...m, invoice: invoiceAsOf(m.invoice, asOf) } : m));
  const again = lapseOf(lapsed.before, { program: input.program, months: pastDue });
  return again !== null && again.lastCoveredDay === lapsed.lapse.effectiveDate;
}

/** The one-coverage and quota rules a reinstatement must meet (it adds the days after the lapse). */
function checkReinstatable(lapsed: LapsedCoverage, input: Reinstate, seats: Seats): void {
  const { enrollmentId, effectiveDate: lapseDay } = lapsed.lapse;
  const firstDay = addDays(lapseDay, 1);
  const elsewhere =
    [...lapsed.registry.claims.keys()].some((id) => id !== enrollmentId) ||
    [...lapsed.registry.ended].some(([id, window]) => id !== enrollmentId && window.to >= firstDay);
  if (elsewhere) {
    throw new RuleViolation(
      'lapse.coveredAgain',
      'Kepesertaan tidak dapat dipulihkan: NIK sudah terlindungi pendaftaran lain setelah tanggal berakhirnya',
      'conflict',
    );
  }
  const { quota } = input.program.terms;
  if (seats.inUse + 1 > quota) {
    throw new RuleViolation(
      'enrollment.quota',
      `Kepesertaan tidak dapat dipulihkan: kuota program (${quota}) sudah terpakai`,
      'conflict',
      { quota, seatsInUse: seats.inUse },
    );
  }
  checkQuotaOverTime(quota, { inUse: seats.inUse + 1, released: seats.released }, firstDay);
}

/**
 * The lapses on the paid invoice that the payment shows wrong, undone: `CoverageReinstated` on
 * the enrollment, its seat and NIK claim taken back, and `LapseReverted` on every month the
 * lapse relied on (so a sweep or another payment racing this one conflicts with it).
 */
export function decideReinstatements(input: Reinstate): {
  events: Decided[];
  reinstated: string[];
  standing: LapseStanding[];
} {
  const { program, payment } = input;
  const events: Decided[] = [];
  const reinstated: string[] = [];
  const standing: LapseStanding[] = [];
  const reverted = new Map<string, { month: string; invoiceId: string; lines: number[]; asOf: IsoDate }>();
  let seats = input.seats;
  for (const lapsed of input.lapsed) {
    const { lapse, before } = lapsed;
    if (payment.paidOn > lapse.decidedOn || lapseStillHolds(lapsed, input)) continue;
    const released = withReleased(seats.released, lapse.effectiveDate, -1, program.terms.period.from);
    try {
      checkReinstatable(lapsed, input, { inUse: seats.inUse, released });
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      standing.push({ enrollmentId: lapse.enrollmentId, rule: error.rule, message: error.message });
      continue;
    }
    seats = { inUse: seats.inUse + 1, released };
    reinstated.push(lapse.enrollmentId);
    const { enrollmentId, programId, participantId } = before;
    events.push(
      {
        streamId: streams.enrollment(enrollmentId),
        event: {
          type: 'CoverageReinstated',
          data: {
            enrollmentId,
            programId,
            participantId,
            previous: { coverageFrom: lapse.coverageFrom, endedOn: lapse.effectiveDate },
            coverageFrom: lapse.coverageFrom,
            endedOn: null,
            effectiveDate: addDays(lapse.effectiveDate, 1),
            lapseDecidedOn: lapse.decidedOn,
            invoiceId: payment.invoiceId,
            paymentId: payment.paymentId,
            paidOn: payment.paidOn,
            ...coverageAttributes(before),
          },
        },
      },
      {
        streamId: streams.seats(programId),
        event: {
          type: 'SeatsTaken',
          data: {
            programId,
            enrollmentIds: [enrollmentId],
            inUse: seats.inUse,
            ...releasedField(seats.released),
          },
        },
      },
      {
        streamId: streams.nik(before.nikKey),
        event: { type: 'CoverageClaimed', data: { enrollmentId, programId, participantId } },
      },
    );
    for (const month of lapse.unpaidMonths) {
      const m = input.months.find((x) => x.month === month);
      const line = m?.lineOf.get(enrollmentId);
      if (!m?.invoice || line === undefined) continue;
      const key = `${month}|${lapse.decidedOn}`;
      const entry = reverted.get(key) ?? {
        month,
        invoiceId: m.invoice.terms.invoiceId,
        lines: [],
        asOf: lapse.decidedOn,
      };
      entry.lines.push(line);
      reverted.set(key, entry);
    }
  }
  for (const [, { month, ...entry }] of [...reverted].sort(([a], [b]) => a.localeCompare(b))) {
    events.push({
      streamId: streams.dues(program.programId, month),
      event: {
        type: 'LapseReverted',
        data: { ...entry, lines: entry.lines.sort((a, b) => a - b), paymentId: payment.paymentId },
      },
    });
  }
  return { events, reinstated, standing };
}
