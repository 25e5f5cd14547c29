import type { ClaimEvent } from '../claim.events';
import { specFor } from '../../shared/decider-spec';
import { evolveClaim, initialClaimState } from '../claim.state';
import { filedEvent } from '../claims.examples';
import { decideWithdraw } from './withdraw-claim.decider';

const given = specFor({ initialState: initialClaimState, evolve: evolveClaim, decide: decideWithdraw });
const withdraw = { type: 'WithdrawClaim' as const, withdrawnOn: '2026-03-15', note: null };

describe('withdrawing a claim', () => {
  it('withdraws an undecided claim; a withdrawn death no longer stands, so a corrected one may be filed', () =>
    given([filedEvent()])
      .when(withdraw)
      .then([
        {
          streamId: 'claim-c1',
          event: { type: 'ClaimWithdrawn', data: { claimId: 'c1', withdrawnOn: '2026-03-15', note: null } },
        },
        {
          streamId: 'claimguard-u1',
          event: {
            type: 'ClaimClosed',
            data: { claimId: 'c1', kind: 'JKM', death: true, keepsDeath: false },
          },
        },
      ]));

  it('refuses a claim withdrawn already', () => {
    const withdrawn: ClaimEvent = {
      type: 'ClaimWithdrawn',
      data: { claimId: 'c1', withdrawnOn: '2026-03-15', note: null },
    };
    given([filedEvent(), withdrawn]).when(withdraw).thenThrows('claim.status', 'conflict');
  });
});
