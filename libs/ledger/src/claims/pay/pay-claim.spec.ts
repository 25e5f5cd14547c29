import type { ClaimEvent } from '../claim.events';
import { specFor } from '../../shared/decider-spec';
import { evolveClaim, initialClaimState } from '../claim.state';
import { claimSubmitted, documentsCompleted, filedEvent } from '../claims.examples';
import { decidePay } from './pay-claim.decider';

const given = specFor({ initialState: initialClaimState, evolve: evolveClaim, decide: decidePay });
const approved: ClaimEvent = {
  type: 'ClaimApproved',
  data: {
    claimId: 'c1',
    amount: 42_000_000,
    breakdown: [],
    educationBenefitChildren: 0,
    approvedOn: '2026-03-15',
  },
};
const pay = { type: 'PayClaim' as const, paidOn: '2026-03-20', reference: 'TRF-1', today: '2026-03-21' };

describe('recording the payment of a claim', () => {
  it('pays the approved amount and closes the claim, the death standing for the person', () =>
    given([filedEvent(), documentsCompleted, claimSubmitted, approved])
      .when(pay)
      .then([
        {
          streamId: 'claim-c1',
          event: {
            type: 'ClaimPaid',
            data: { claimId: 'c1', paidOn: '2026-03-20', reference: 'TRF-1', amount: 42_000_000 },
          },
        },
        {
          streamId: 'claimguard-u1',
          event: { type: 'ClaimClosed', data: { claimId: 'c1', kind: 'JKM', death: true, keepsDeath: true } },
        },
      ]));

  it('refuses a payment day after today or before the event, and a claim not approved', () => {
    const past = [filedEvent(), documentsCompleted, claimSubmitted, approved];
    given(past)
      .when({ ...pay, paidOn: '2026-03-22' })
      .thenThrows('claim.paidOn');
    given(past)
      .when({ ...pay, paidOn: '2026-03-09' })
      .thenThrows('claim.paidOn');
    given([filedEvent(), documentsCompleted, claimSubmitted]).when(pay).thenThrows('claim.status');
  });
});
