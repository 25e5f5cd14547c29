import type { ClaimEvent, ClaimGuardEvent } from '../claim.events';
import { specFor } from '../../shared/decider-spec';
import {
  evolveClaim,
  evolveClaimGuard,
  initialClaimGuard,
  initialClaimState,
  type ClaimGuardState,
} from '../claim.state';
import { filedEvent } from '../claims.examples';
import { decideReopen, type ReopenClaim } from './reopen-claim.decider';

const rejected: ClaimEvent = {
  type: 'ClaimRejected',
  data: { claimId: 'c1', code: 'documents_invalid', note: null, rejectedOn: '2026-03-15' },
};
const reopened: ClaimEvent = {
  type: 'ClaimReopened',
  data: { claimId: 'c1', reopenedOn: '2026-03-16', note: null },
};
const reopen: ReopenClaim = { type: 'ReopenClaim', reopenedOn: '2026-03-16', note: null };
const withGuard = (guard: ClaimGuardState) =>
  specFor({
    initialState: initialClaimState,
    evolve: evolveClaim,
    decide: (command: ReopenClaim, state) => decideReopen(command, state, guard),
  });
const guardOf = (events: ClaimGuardEvent[]) => events.reduce(evolveClaimGuard, initialClaimGuard());

describe('reopening a rejected claim', () => {
  it('reopens it and holds its kind open again', () =>
    withGuard(initialClaimGuard())([filedEvent(), rejected])
      .when(reopen)
      .then([
        {
          streamId: 'claim-c1',
          event: { type: 'ClaimReopened', data: { claimId: 'c1', reopenedOn: '2026-03-16', note: null } },
        },
        {
          streamId: 'claimguard-u1',
          event: { type: 'ClaimOpened', data: { claimId: 'c1', kind: 'JKM', death: true } },
        },
      ]));

  it('refuses a claim not rejected, one reopened the most times allowed, and one whose kind another claim holds', () => {
    const given = withGuard(initialClaimGuard());
    given([filedEvent()]).when(reopen).thenThrows('claim.status');
    given([filedEvent(), rejected, reopened, rejected, reopened, rejected])
      .when(reopen)
      .thenThrows('claim.reopenLimit', 'conflict');
    const held = guardOf([{ type: 'ClaimOpened', data: { claimId: 'c2', kind: 'JKM', death: false } }]);
    withGuard(held)([filedEvent(), rejected]).when(reopen).thenThrows('claim.openExists', 'conflict');
  });
});
