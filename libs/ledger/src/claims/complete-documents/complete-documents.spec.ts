import { specFor } from '../../shared/decider-spec';
import { evolveClaim, initialClaimState } from '../claim.state';
import { deathDocuments, filedEvent } from '../claims.examples';
import { decideCompleteDocuments } from './complete-documents.decider';

const given = specFor({
  initialState: initialClaimState,
  evolve: evolveClaim,
  decide: decideCompleteDocuments,
});
const complete = {
  type: 'CompleteDocuments' as const,
  documents: deathDocuments,
  completedOn: '2026-03-13',
  today: '2026-03-15',
};

describe('completing a claim’s documents', () => {
  it('marks the checklist complete with every document seen', () =>
    given([filedEvent()])
      .when(complete)
      .then([
        {
          streamId: 'claim-c1',
          event: {
            type: 'ClaimDocumentsCompleted',
            data: { claimId: 'c1', documents: deathDocuments, completedOn: '2026-03-13' },
          },
        },
      ]));

  it('refuses a checklist with a document missing, one dated after today, and a claim not filed', () => {
    given([filedEvent()])
      .when({ ...complete, documents: deathDocuments.slice(1) })
      .thenThrows('claim.documents.missing');
    given([filedEvent()])
      .when({ ...complete, today: '2026-03-10' })
      .thenThrows('claim.document.future');
    given([]).when(complete).thenThrows('claim.notFound', 'not_found');
  });
});
