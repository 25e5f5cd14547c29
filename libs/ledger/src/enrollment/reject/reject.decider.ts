import type { NikRegistryEvent } from '../../participants/participant.events';
import { backfillField, checkNotFuture, decideBackfill, type BackfillRequest } from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { streams, type StreamEvent } from '../../shared/streams';
import type { EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import { releases, requireStatus, type EnrollmentState } from '../enrollment.state';
import type { Seats } from '../released-seats';

export interface RejectEnrollment {
  type: 'RejectEnrollment';
  reason: string;
  /** Effective day of the decision; default today. */
  rejectedOn?: IsoDate;
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
  /** The program's tolerance for facts recorded late. */
  backfillToleranceDays: number;
  seats: Seats;
}

/** A rejected proposal gives back its seat and its NIK claim the day it is rejected (its effective day). */
export function decideRejection(
  command: RejectEnrollment,
  state: EnrollmentState,
): StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[] {
  requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat ditolak');
  const rejectedOn = command.rejectedOn ?? command.today;
  checkNotFuture('rejectedOn', rejectedOn, command.today);
  const marker = decideBackfill({
    effectiveDates: [rejectedOn],
    today: command.today,
    toleranceDays: command.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
  });
  const { enrollmentId, programId, participantId } = state;
  return [
    {
      streamId: streams.enrollment(enrollmentId),
      event: {
        type: 'EnrollmentRejected',
        data: {
          enrollmentId,
          programId,
          participantId,
          reason: command.reason,
          rejectedOn,
          ...backfillField(marker),
        },
      },
    },
    ...releases(state, rejectedOn, command.seats),
  ];
}
