import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import type { ClaimEvent } from '../claim.events';
import { requireClaimStatus, type ClaimState } from '../claim.state';

export interface SubmitClaim {
  type: 'SubmitClaim';
  submittedOn: IsoDate;
}

/** Hands a claim with its complete documents to BPJS. */
export function decideSubmit(command: SubmitClaim, state: ClaimState): StreamEvent<ClaimEvent>[] {
  const filed = requireClaimStatus(state, ['documents_complete'], 'pengajuan ke BPJS');
  return [
    {
      streamId: streams.claim(filed.claimId),
      event: { type: 'ClaimSubmitted', data: { claimId: filed.claimId, submittedOn: command.submittedOn } },
    },
  ];
}
