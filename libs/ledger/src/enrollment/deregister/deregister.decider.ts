import type { NikRegistryEvent } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import { backfillField, decideBackfill, type BackfillRequest } from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { DeregistrationReason, EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import type { Seats } from '../released-seats';
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
  /** Last day of coverage (for `deceased`, the date of death). */
  effectiveDate: IsoDate;
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
  program: ExistingProgram;
  seats: Seats;
}

/**
 * Ends an active coverage: never before it started, never after the program's last day. A
 * last day long past (a death reported late, after the program's period ended even) is a
 * backfill; the NIK stays covered until that day.
 */
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
  const marker = decideBackfill({
    effectiveDates: [command.effectiveDate],
    today: command.today,
    toleranceDays: command.program.terms.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
  });
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
          ...backfillField(marker),
        },
      },
    },
    ...releases(state, command.effectiveDate, command.seats, {
      coverage: { from: state.coverageFrom!, to: command.effectiveDate },
      programStart: command.program.terms.period.from,
    }),
  ];
}
