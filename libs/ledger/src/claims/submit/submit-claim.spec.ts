import { specFor } from '../../shared/decider-spec';
import { evolveClaim, initialClaimState } from '../claim.state';
import { claimSubmitted, documentsCompleted, filedEvent } from '../claims.examples';
import { decideSubmit } from './submit-claim.decider';

const given = specFor({ initialState: initialClaimState, evolve: evolveClaim, decide: decideSubmit });
const submit = { type: 'SubmitClaim' as const, submittedOn: '2026-03-14' };

describe('submitting a claim to BPJS', () => {
  it('hands over a claim whose documents are complete', () =>
    given([filedEvent(), documentsCompleted])
      .when(submit)
      .then([
        {
          streamId: 'claim-c1',
          event: { type: 'ClaimSubmitted', data: { claimId: 'c1', submittedOn: '2026-03-14' } },
        },
      ]));

  it('refuses a claim still missing documents, and one submitted already', () => {
    given([filedEvent()]).when(submit).thenThrows('claim.status', 'conflict');
    given([filedEvent(), documentsCompleted, claimSubmitted]).when(submit).thenThrows('claim.status');
  });
});
