import { specFor } from '../../shared/decider-spec';
import { evolveClaim, initialClaimState } from '../claim.state';
import { filedEvent } from '../claims.examples';
import { decideReject } from './reject-claim.decider';

const given = specFor({ initialState: initialClaimState, evolve: evolveClaim, decide: decideReject });
const reject = {
  type: 'RejectClaim' as const,
  code: 'documents_invalid' as const,
  note: 'Akta kematian tidak terbaca',
  rejectedOn: '2026-03-15',
};

describe('rejecting a claim', () => {
  it('records the coded reason and closes the claim; a rejected death still stands for the person', () =>
    given([filedEvent()])
      .when(reject)
      .then([
        {
          streamId: 'claim-c1',
          event: {
            type: 'ClaimRejected',
            data: {
              claimId: 'c1',
              code: 'documents_invalid',
              note: 'Akta kematian tidak terbaca',
              rejectedOn: '2026-03-15',
            },
          },
        },
        {
          streamId: 'claimguard-u1',
          event: { type: 'ClaimClosed', data: { claimId: 'c1', kind: 'JKM', death: true, keepsDeath: true } },
        },
      ]));

  it('refuses a claim rejected already, and an unknown one', () => {
    const once = decideReject(reject, [filedEvent()].reduce(evolveClaim, initialClaimState()));
    given([filedEvent(), once[0].event as never])
      .when(reject)
      .thenThrows('claim.status', 'conflict');
    given([]).when(reject).thenThrows('claim.notFound', 'not_found');
  });
});
