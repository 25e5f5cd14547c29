import type { NikRegistryEvent } from '../../participants/participant.events';
import type { IsoDate } from '../../shared/dates';
import { streams, type StreamEvent } from '../../shared/streams';
import type { EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import { releases, requireStatus, type EnrollmentState } from '../enrollment.state';

export interface RejectEnrollment {
  type: 'RejectEnrollment';
  reason: string;
  today: IsoDate;
  seatsInUse: number;
}

/** A rejected proposal gives back its seat and its NIK claim the day it is rejected. */
export function decideRejection(
  command: RejectEnrollment,
  state: EnrollmentState,
): StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[] {
  requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat ditolak');
  const { enrollmentId, programId, participantId } = state;
  return [
    {
      streamId: streams.enrollment(enrollmentId),
      event: {
        type: 'EnrollmentRejected',
        data: { enrollmentId, programId, participantId, reason: command.reason, rejectedOn: command.today },
      },
    },
    ...releases(state, command.today, command.seatsInUse),
  ];
}
