import type { NikRegistryEvent } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import {
  backfillField,
  checkNotFuture,
  decideBackfill,
  type BackfillMarker,
  type BackfillRequest,
} from '../../shared/backfill';
import { ageOn, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import {
  checkAfterPreviousCoverage,
  coverageAttributes,
  requireStatus,
  type EnrollmentState,
} from '../enrollment.state';
import { checkQuotaOverTime, releasedField, type Seats } from '../released-seats';

export interface ApproveEnrollment {
  type: 'ApproveEnrollment';
  coverageFrom: IsoDate;
  /** Effective day of the decision; default today. */
  approvedOn?: IsoDate;
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
  /** Opened from the participant's sealed data by the handler; null once erased. */
  birthDate: IsoDate | null;
  /** The program's terms now. */
  program: ExistingProgram;
  /**
   * The program's seats now; approving moves a seat from proposal to coverage, and the seats
   * released by coverages that ran on its start still count against the quota.
   */
  seats: Seats;
}

/**
 * Whether an approval is a backfill (a coverage start or a decision day before today −
 * tolerance): decided once for a command, however many enrollments it approves.
 */
export function approvalBackfill(
  command: Pick<ApproveEnrollment, 'coverageFrom' | 'approvedOn' | 'today' | 'role' | 'backfill' | 'program'>,
): BackfillMarker | undefined {
  if (command.approvedOn !== undefined) checkNotFuture('approvedOn', command.approvedOn, command.today);
  return decideBackfill({
    effectiveDates: [command.coverageFrom, command.approvedOn],
    today: command.today,
    toleranceDays: command.program.terms.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
  });
}

/** A coverage starts inside the program's period. */
export function checkInPeriod(coverageFrom: IsoDate, program: ExistingProgram): void {
  const { from, to } = program.terms.period;
  if (coverageFrom < from || coverageFrom > to) {
    throw new RuleViolation(
      'coverage.outsidePeriod',
      `Tanggal mulai perlindungan harus di dalam periode program (${from} s.d. ${to})`,
      'unprocessable',
      { period: { from, to } },
    );
  }
}

/** The approval itself, on the enrollment's stream, with the backfill marker already decided. */
export function approval(
  command: Omit<ApproveEnrollment, 'seats'>,
  state: EnrollmentState,
  marker: BackfillMarker | undefined,
): EnrollmentEvent {
  requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat disetujui');
  const { program } = command;
  if (program.status === 'closed')
    throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
  checkInPeriod(command.coverageFrom, program);
  checkAfterPreviousCoverage(command.coverageFrom, state.previousCoverageEnd);
  if (command.birthDate === null) {
    throw new RuleViolation(
      'participant.erased',
      'Data peserta sudah dihapus; usulan tidak dapat disetujui',
      'conflict',
    );
  }
  const age = ageOn(command.birthDate, command.coverageFrom);
  if (age > program.terms.ageCap) {
    throw new RuleViolation(
      'enrollment.ageCap',
      `Usia peserta pada awal perlindungan (${age} tahun) melebihi batas usia program (${program.terms.ageCap} tahun)`,
      'unprocessable',
      { ageCap: program.terms.ageCap },
    );
  }
  const { enrollmentId, programId, participantId } = state;
  return {
    type: 'EnrollmentApproved',
    data: {
      enrollmentId,
      programId,
      participantId,
      coverageFrom: command.coverageFrom,
      approvedOn: command.approvedOn ?? command.today,
      ...coverageAttributes(state),
      ...backfillField(marker),
    },
  };
}

/** The seats event of approvals: their seats are now held by coverage (the count stays). */
export function seatsCovered(
  programId: string,
  enrollmentIds: string[],
  seats: Seats,
): StreamEvent<SeatsEvent> {
  return {
    streamId: streams.seats(programId),
    event: {
      type: 'SeatsCovered',
      data: { programId, enrollmentIds, inUse: seats.inUse, ...releasedField(seats.released) },
    },
  };
}

/**
 * The approval written to the NIK's registry, which the person's erasure appends to as well:
 * appended at the revision read before the person's key was, it makes an approval that found
 * the person not yet erased conflict with an erasure written meanwhile, and decide again.
 */
export function coverageApproved(
  state: EnrollmentState,
  coverageFrom: IsoDate,
): StreamEvent<NikRegistryEvent> {
  const { enrollmentId, programId } = state;
  return {
    streamId: streams.nik(state.nikKey),
    event: { type: 'CoverageClaimApproved', data: { enrollmentId, programId, coverageFrom } },
  };
}

export function decideApproval(
  command: ApproveEnrollment,
  state: EnrollmentState,
): StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[] {
  requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat disetujui');
  const marker = approvalBackfill(command);
  const approved = approval(command, state, marker);
  // Its seat is in use already (the proposal took it); the released ones are checked at the actual start.
  checkQuotaOverTime(command.program.terms.quota, command.seats, command.coverageFrom);
  return [
    { streamId: streams.enrollment(state.enrollmentId), event: approved },
    seatsCovered(state.programId, [state.enrollmentId], command.seats),
    coverageApproved(state, command.coverageFrom),
  ];
}
