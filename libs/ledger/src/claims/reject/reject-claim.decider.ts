import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import type { ClaimEvent, ClaimGuardEvent, RejectionCode } from '../claim.events';
import { isDeath, requireClaimStatus, type ClaimState } from '../claim.state';

export interface RejectClaim {
  type: 'RejectClaim';
  code: RejectionCode;
  note: string | null;
  rejectedOn: IsoDate;
}

/**
 * Rejects a claim with a coded reason. It no longer holds its kind open, but a rejected death
 * still stands for the person: it is reopened, never filed again.
 */
export function decideReject(
  command: RejectClaim,
  state: ClaimState,
): StreamEvent<ClaimEvent | ClaimGuardEvent>[] {
  const filed = requireClaimStatus(state, ['filed', 'documents_complete', 'submitted'], 'penolakan');
  const { claimId, kind } = filed;
  return [
    {
      streamId: streams.claim(claimId),
      event: {
        type: 'ClaimRejected',
        data: { claimId, code: command.code, note: command.note, rejectedOn: command.rejectedOn },
      },
    },
    {
      streamId: streams.claimGuard(filed.participantId),
      event: { type: 'ClaimClosed', data: { claimId, kind, death: isDeath(filed), keepsDeath: true } },
    },
  ];
}
