import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import type { ClaimEvent, ClaimGuardEvent } from '../claim.events';
import { isDeath, requireClaimStatus, type ClaimState } from '../claim.state';

export interface WithdrawClaim {
  type: 'WithdrawClaim';
  withdrawnOn: IsoDate;
  note: string | null;
}

/**
 * Withdraws a claim not yet decided by BPJS. A withdrawn death claim no longer stands for the
 * person, so a corrected one may be filed; the coverage it ended stays ended.
 */
export function decideWithdraw(
  command: WithdrawClaim,
  state: ClaimState,
): StreamEvent<ClaimEvent | ClaimGuardEvent>[] {
  const filed = requireClaimStatus(state, ['filed', 'documents_complete', 'submitted'], 'penarikan');
  const { claimId, kind } = filed;
  return [
    {
      streamId: streams.claim(claimId),
      event: {
        type: 'ClaimWithdrawn',
        data: { claimId, withdrawnOn: command.withdrawnOn, note: command.note },
      },
    },
    {
      streamId: streams.claimGuard(filed.participantId),
      event: { type: 'ClaimClosed', data: { claimId, kind, death: isDeath(filed), keepsDeath: false } },
    },
  ];
}
