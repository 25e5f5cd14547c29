import { specFor } from '../../shared/decider-spec';
import { evolveClaim, initialClaimState } from '../claim.state';
import { claimSubmitted, documentsCompleted, filedEvent } from '../claims.examples';
import { decideApprove } from './approve-claim.decider';

const given = specFor({ initialState: initialClaimState, evolve: evolveClaim, decide: decideApprove });
const approve = {
  type: 'ApproveClaim' as const,
  approvedOn: '2026-03-15',
  approvedAmount: null,
  contributedMonths: 3,
};

describe('approving a claim', () => {
  it('approves a submitted death claim at the amount of the benefit table', () => {
    const decided = decideApprove(
      approve,
      [filedEvent(), documentsCompleted, claimSubmitted].reduce(evolveClaim, initialClaimState()),
    );
    expect(decided.map((d) => d.event.type)).toEqual(['ClaimApproved']);
    expect(decided[0].event.data).toMatchObject({
      claimId: 'c1',
      amount: 42_000_000,
      approvedOn: '2026-03-15',
    });
  });

  it('refuses a claim not yet submitted, and an ineligible one', () => {
    given([filedEvent(), documentsCompleted]).when(approve).thenThrows('claim.status', 'conflict');
    given([
      filedEvent({ eligible: false, reasons: ['not_covered_on_event_date'] }),
      documentsCompleted,
      claimSubmitted,
    ])
      .when(approve)
      .thenThrows('claim.notEligible');
  });
});
