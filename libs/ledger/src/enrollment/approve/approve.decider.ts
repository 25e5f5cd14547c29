import type { ExistingProgram } from '../../programs/program.state';
import { ageOn, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import { coverageAttributes, requireStatus, type EnrollmentState } from '../enrollment.state';

export interface ApproveEnrollment {
  type: 'ApproveEnrollment';
  coverageFrom: IsoDate;
  today: IsoDate;
  /** Opened from the participant's sealed data by the handler; null once erased. */
  birthDate: IsoDate | null;
  /** The program's terms now. */
  program: ExistingProgram;
  /** Seats in use now; approving moves a seat from proposal to coverage. */
  seatsInUse: number;
}

/** The approval itself, on the enrollment's stream. */
export function approval(
  command: Omit<ApproveEnrollment, 'seatsInUse'>,
  state: EnrollmentState,
): EnrollmentEvent {
  requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat disetujui');
  const { program } = command;
  if (program.status === 'closed')
    throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
  const { from, to } = program.terms.period;
  if (command.coverageFrom < from || command.coverageFrom > to) {
    throw new RuleViolation(
      'coverage.outsidePeriod',
      `Tanggal mulai perlindungan harus di dalam periode program (${from} s.d. ${to})`,
      'unprocessable',
      { period: { from, to } },
    );
  }
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
      approvedOn: command.today,
      ...coverageAttributes(state),
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
  return [
    { streamId: streams.enrollment(state.enrollmentId), event: approval(command, state) },
    seatsCovered(state.programId, [state.enrollmentId], command.seatsInUse),
  ];
}
