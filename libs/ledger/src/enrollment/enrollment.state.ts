import { minDate, type IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import type { ExistingProgram } from '../programs/program.state';
import type { NikRegistryEvent } from '../participants/participant.events';
import { streams, type StreamEvent } from '../shared/streams';
import type { CoverageLapsedEvent, CoverageReinstatedEvent } from '../contributions/contribution.events';
import type { CoverageAttributes, EnrollmentEvent, SeatsEvent } from './enrollment.events';
import type { Occupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';
import { releasedField, withReleased, type Seats } from './released-seats';

export type EnrollmentStatus = 'none' | 'proposed' | 'approved' | 'rejected' | 'deregistered';

export interface EnrollmentState {
  status: EnrollmentStatus;
  enrollmentId: string;
  programId: string;
  participantId: string;
  nikKey: string;
  villageCode: string;
  occupation: Occupation;
  sex: Sex;
  birthYear: number;
  importId: string | null;
  coverageFrom: IsoDate | null;
  endedOn: IsoDate | null;
  /** An approval must start coverage after this day (the NIK's earlier coverage), if set. */
  previousCoverageEnd: IsoDate | null;
}

export const initialEnrollmentState = (): EnrollmentState => ({
  status: 'none',
  enrollmentId: '',
  programId: '',
  participantId: '',
  nikKey: '',
  villageCode: '',
  occupation: 'lainnya',
  sex: 'L',
  birthYear: 0,
  importId: null,
  coverageFrom: null,
  endedOn: null,
  previousCoverageEnd: null,
});

/** What an enrollment stream holds: its own events, and the lapse the contributions sweep writes there. */
export type EnrollmentStreamEvent = EnrollmentEvent | CoverageLapsedEvent | CoverageReinstatedEvent;

export function evolveEnrollment(state: EnrollmentState, event: EnrollmentStreamEvent): EnrollmentState {
  switch (event.type) {
    case 'EnrollmentProposed': {
      // The day of the proposal, its checked start and its marker are the read models' to show.
      const {
        proposedOn: _proposedOn,
        intendedCoverageFrom: _intended,
        backfill: _backfill,
        previousCoverageEnd,
        ...proposal
      } = event.data;
      return { ...state, status: 'proposed', ...proposal, previousCoverageEnd: previousCoverageEnd ?? null };
    }
    case 'EnrollmentApproved':
      return { ...state, status: 'approved', coverageFrom: event.data.coverageFrom };
    case 'EnrollmentRejected':
      return { ...state, status: 'rejected' };
    case 'EnrollmentDeregistered':
    // A lapse ends the coverage as a deregistration does: what may follow (a correction, a
    // new enrollment of the NIK after its last day) is the same.
    case 'CoverageLapsed':
      return { ...state, status: 'deregistered', endedOn: event.data.effectiveDate };
    case 'EnrollmentCorrected':
      return { ...state, coverageFrom: event.data.coverageFrom, endedOn: event.data.endedOn };
    // A lapse shown wrong by a payment recorded late: covered again, as before the lapse.
    case 'CoverageReinstated':
      return { ...state, status: 'approved', endedOn: null };
  }
}

/** Last day a program covers anyone: its period end, or the day it was closed when earlier. */
export function lastCoveredDay(periodTo: IsoDate, closedOn: IsoDate | null): IsoDate {
  return closedOn ? minDate(periodTo, closedOn) : periodTo;
}

/** The same for a program's state. */
export function programCoverageEnd(program: ExistingProgram): IsoDate {
  return lastCoveredDay(program.terms.period.to, program.closedOn);
}

export function requireStatus(
  state: EnrollmentState,
  status: EnrollmentStatus,
  rule: string,
  message: string,
) {
  if (state.status === 'none')
    throw new RuleViolation('enrollment.notFound', 'Pendaftaran tidak ditemukan', 'not_found');
  if (state.status !== status) {
    throw new RuleViolation(rule, `${message} (status sekarang: ${state.status})`, 'conflict', {
      currentStatus: state.status,
    });
  }
}

/** What coverage is counted by, as the enrollment holds it. */
export function coverageAttributes(state: EnrollmentState): CoverageAttributes {
  const { villageCode, occupation, sex, birthYear } = state;
  return { villageCode, occupation, sex, birthYear };
}

/**
 * The events that give back what an ended proposal or coverage held: its seat and its NIK
 * claim. A deregistered coverage's last day joins the seats' released summary: its seat is
 * free only for coverages that start after that day.
 */
export function releases(
  state: EnrollmentState,
  on: IsoDate,
  seats: Seats,
  /**
   * For a deregistration: the coverage the claim held (the NIK stays covered until its last
   * day), and the program's first day (the summary keeps no day before it).
   */
  ended?: { coverage: { from: IsoDate; to: IsoDate }; programStart: IsoDate },
): StreamEvent<SeatsEvent | NikRegistryEvent>[] {
  const { enrollmentId, programId, participantId } = state;
  const coverage = ended?.coverage;
  const released = ended
    ? withReleased(seats.released, ended.coverage.to, 1, ended.programStart)
    : seats.released;
  return [
    {
      streamId: streams.seats(programId),
      event: {
        type: 'SeatsReleased',
        data: {
          programId,
          enrollmentIds: [enrollmentId],
          inUse: Math.max(0, seats.inUse - 1),
          ...releasedField(released),
        },
      },
    },
    {
      streamId: streams.nik(state.nikKey),
      event: {
        type: 'CoverageReleased',
        data: { enrollmentId, programId, participantId, releasedOn: on, ...(coverage ? { coverage } : {}) },
      },
    },
  ];
}

/**
 * One coverage per NIK over overlapping periods: a coverage starting on `start` may not begin
 * on or before the last day of the NIK's earlier coverage (`previousCoverageEnd`).
 */
export function checkAfterPreviousCoverage(start: IsoDate, previousCoverageEnd: IsoDate | null): void {
  if (previousCoverageEnd !== null && start <= previousCoverageEnd) {
    throw new RuleViolation(
      'nik.coverageOverlap',
      `NIK ini masih terlindungi oleh kepesertaan lain sampai ${previousCoverageEnd}; perlindungan baru harus mulai sesudahnya`,
      'conflict',
      { previousCoverageEnd },
    );
  }
}
