import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import type { ClaimEvent, ClaimGuardEvent } from '../claim.events';
import { fieldViolation, isDeath, requireClaimStatus, type ClaimState } from '../claim.state';

export interface PayClaim {
  type: 'PayClaim';
  paidOn: IsoDate;
  reference: string;
  today: IsoDate;
}

/** Records BPJS's payment of an approved claim: its day and transfer reference. */
export function decidePay(command: PayClaim, state: ClaimState): StreamEvent<ClaimEvent | ClaimGuardEvent>[] {
  const filed = requireClaimStatus(state, ['approved'], 'pembayaran');
  if (command.paidOn > command.today || command.paidOn < filed.eventDate) {
    throw fieldViolation(
      'paidOn',
      'claim.paidOn',
      'Tanggal bayar harus antara tanggal kejadian dan hari ini',
    );
  }
  const { claimId, kind } = filed;
  return [
    {
      streamId: streams.claim(claimId),
      event: {
        type: 'ClaimPaid',
        data: { claimId, paidOn: command.paidOn, reference: command.reference, amount: state.amount ?? 0 },
      },
    },
    {
      streamId: streams.claimGuard(filed.participantId),
      event: { type: 'ClaimClosed', data: { claimId, kind, death: isDeath(filed), keepsDeath: true } },
    },
  ];
}
