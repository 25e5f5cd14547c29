import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import type { ClaimEvent, ClaimGuardEvent } from '../claim.events';
import {
  checkGuard,
  isDeath,
  MAX_REOPENINGS,
  requireClaimStatus,
  type ClaimGuardState,
  type ClaimState,
} from '../claim.state';

export interface ReopenClaim {
  type: 'ReopenClaim';
  reopenedOn: IsoDate;
  note: string | null;
}

/** Reopens a rejected claim, a bounded number of times, when no other claim of its kind is open. */
export function decideReopen(
  command: ReopenClaim,
  state: ClaimState,
  guard: ClaimGuardState,
): StreamEvent<ClaimEvent | ClaimGuardEvent>[] {
  const filed = requireClaimStatus(state, ['rejected'], 'pembukaan kembali');
  if (state.reopenings >= MAX_REOPENINGS) {
    throw new RuleViolation(
      'claim.reopenLimit',
      `Klaim sudah dibuka kembali ${MAX_REOPENINGS} kali`,
      'conflict',
    );
  }
  const { claimId, kind } = filed;
  checkGuard(guard, kind, isDeath(filed), claimId);
  return [
    {
      streamId: streams.claim(claimId),
      event: { type: 'ClaimReopened', data: { claimId, reopenedOn: command.reopenedOn, note: command.note } },
    },
    {
      streamId: streams.claimGuard(filed.participantId),
      event: { type: 'ClaimOpened', data: { claimId, kind, death: isDeath(filed) } },
    },
  ];
}
