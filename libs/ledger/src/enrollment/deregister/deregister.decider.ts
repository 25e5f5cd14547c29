import type { NikRegistryEvent } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { DeregistrationReason, EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import {
  coverageAttributes,
  programCoverageEnd,
  releases,
  requireStatus,
  type EnrollmentState,
} from '../enrollment.state';

export interface DeregisterEnrollment {
  type: 'DeregisterEnrollment';
  reason: DeregistrationReason;
  note: string | null;
  /** Last day of coverage. */
  effectiveDate: IsoDate;
  program: ExistingProgram;
  seatsInUse: number;
}

/** Ends an active coverage: never before it started, never after the program's last day. */
export function decideDeregistration(
  command: DeregisterEnrollment,
  state: EnrollmentState,
): StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[] {
  requireStatus(state, 'approved', 'enrollment.notActive', 'Hanya kepesertaan aktif yang dapat diakhiri');
  const end = programCoverageEnd(command.program);
  if (command.effectiveDate < state.coverageFrom!) {
    throw new RuleViolation(
      'deregistration.beforeStart',
      `Tanggal berakhir tidak boleh sebelum perlindungan dimulai (${state.coverageFrom})`,
      'unprocessable',
    );
  }
  if (command.effectiveDate > end) {
    throw new RuleViolation(
      'enrollment.notActive',
      `Perlindungan sudah berakhir pada ${end} bersama periode program`,
      'conflict',
    );
  }
  const { enrollmentId, programId, participantId } = state;
  return [
    {
      streamId: streams.enrollment(enrollmentId),
      event: {
        type: 'EnrollmentDeregistered',
        data: {
          enrollmentId,
          programId,
          participantId,
          reason: command.reason,
          note: command.note,
          coverageFrom: state.coverageFrom!,
          effectiveDate: command.effectiveDate,
          ...coverageAttributes(state),
        },
      },
    },
    ...releases(state, command.effectiveDate, command.seatsInUse),
  ];
}
