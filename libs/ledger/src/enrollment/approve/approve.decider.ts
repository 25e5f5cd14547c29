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
  /** Seats in use now; approving moves a seat from proposal to coverage. */
  seatsInUse: number;
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
  command: Omit<ApproveEnrollment, 'seatsInUse'>,
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
  seatsInUse: number,
): StreamEvent<SeatsEvent> {
  return {
    streamId: streams.seats(programId),
    event: { type: 'SeatsCovered', data: { programId, enrollmentIds, inUse: seatsInUse } },
  };
}

export function decideApproval(
  command: ApproveEnrollment,
  state: EnrollmentState,
): StreamEvent<EnrollmentEvent | SeatsEvent>[] {
  requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat disetujui');
  const marker = approvalBackfill(command);
  return [
    { streamId: streams.enrollment(state.enrollmentId), event: approval(command, state, marker) },
    seatsCovered(state.programId, [state.enrollmentId], command.seatsInUse),
  ];
}
