import { specFor } from '../shared/decider-spec';
import { contributedMonths } from './approve/contributed-months';
import { benefitLines, educationChildren } from './benefit-rules';
import type { ClaimEvent } from './claim.events';
import { evolveClaim, initialClaimGuard, initialClaimState, type ClaimState } from './claim.state';
import { claimSubmitted, deathDocuments, documentsCompleted, filedEvent, rule } from './claims.examples';
import { decideApprove } from './approve/approve-claim.decider';
import { decideCompleteDocuments } from './complete-documents/complete-documents.decider';
import { decidePay } from './pay/pay-claim.decider';
import { decideReject } from './reject/reject-claim.decider';
import { decideReopen } from './reopen/reopen-claim.decider';
import { decideSubmit } from './submit/submit-claim.decider';
import { decideWithdraw } from './withdraw/withdraw-claim.decider';

const stateOf = (past: ClaimEvent[]): ClaimState => past.reduce(evolveClaim, initialClaimState());
const deathDocs = deathDocuments;
const completed = documentsCompleted;
const submitted = claimSubmitted;
const approve = { type: 'ApproveClaim' as const, approvedOn: '2026-03-15', approvedAmount: null,
  contributedMonths: 3,
};

describe('a claim from filing to payment', () => {
  it('documents complete only with the whole checklist', () => {
    expect(
      rule(() =>
        decideCompleteDocuments(
          {
            type: 'CompleteDocuments',
            documents: deathDocs.slice(1),
            completedOn: '2026-03-13',
            today: '2026-03-15',
          },
          stateOf([filedEvent()]),
        ),
      ),
    ).toBe('claim.documents.missing');
    const decided = decideCompleteDocuments(
      { type: 'CompleteDocuments', documents: deathDocs, completedOn: '2026-03-13', today: '2026-03-15' },
      stateOf([filedEvent()]),
    );
    expect(decided[0].event.type).toBe('ClaimDocumentsCompleted');
    expect(
      rule(() => decideSubmit({ type: 'SubmitClaim', submittedOn: '2026-03-14' }, stateOf([filedEvent()]))),
    ).toBe('claim.status');
  });

  const given = specFor({ initialState: initialClaimState, evolve: evolveClaim, decide: decideApprove });
  it('a JKM death is approved at Rp42,000,000 from the benefit table', () =>
    given([filedEvent(), completed, submitted])
      .when(approve)
      .then([
        {
          streamId: 'claim-c1',
          event: {
            type: 'ClaimApproved',
            data: {
              claimId: 'c1',
              amount: 42_000_000,
              breakdown: [
                {
                  component: 'lump_sum',
                  amount: 20_000_000,
                  regulation: 'PP 82/2019 (perubahan PP 44/2015), berlaku 2019-12-02',
                },
                {
                  component: 'periodic',
                  amount: 12_000_000,
                  regulation: 'PP 82/2019 (perubahan PP 44/2015), berlaku 2019-12-02',
                },
                {
                  component: 'funeral',
                  amount: 10_000_000,
                  regulation: 'PP 82/2019 (perubahan PP 44/2015), berlaku 2019-12-02',
                },
              ],
              educationBenefitChildren: 0,
              contributedMonths: 3,
              approvedOn: '2026-03-15',
            },
          },
        },
      ]));

  it('an ineligible claim can only be rejected; JKK death is 48 × income + funeral + periodic; medical needs BPJS amount', () => {
    given([filedEvent({ eligible: false, reasons: ['not_covered_on_event_date'] }), completed, submitted])
      .when(approve)
      .thenThrows('claim.notEligible', 'conflict');
    const jkk = decideApprove(
      approve,
      stateOf([filedEvent({ kind: 'JKK', declaredIncome: 2_500_000 }), completed, submitted]),
    );
    expect(jkk[0].event.data).toMatchObject({ amount: 48 * 2_500_000 + 22_000_000 });
    given([filedEvent({ kind: 'JKK', benefit: 'medical' }), completed, submitted])
      .when(approve)
      .thenThrows('claim.approvedAmount');
    const medical = decideApprove(
      { ...approve, approvedAmount: 3_250_000 },
      stateOf([filedEvent({ kind: 'JKK', benefit: 'medical' }), completed, submitted]),
    );
    expect(medical[0].event.data).toMatchObject({ amount: 3_250_000 });
  });

  it('the education benefit for up to two children, only after three years of contributions', () => {
    expect(educationChildren('JKM', 'death', 35, 3)).toBe(0);
    expect(educationChildren('JKM', 'death', 36, 3)).toBe(2);
    expect(educationChildren('JKM', 'death', 36, 1)).toBe(1);
    expect(educationChildren('JKK', 'death', 48, 2)).toBe(0);
    // The enrollment's own coverage no longer decides it: the months contributed do.
    const recent = stateOf([
      filedEvent({ coverageFrom: '2025-06-01', childHeirCount: 3 }),
      completed,
      submitted,
    ]);
    expect(decideApprove({ ...approve, contributedMonths: 40 }, recent)[0].event.data).toMatchObject({
      amount: 42_000_000,
      educationBenefitChildren: 2,
      contributedMonths: 40,
    });
    const long = stateOf([
      filedEvent({ coverageFrom: '2020-01-01', childHeirCount: 3 }),
      completed,
      submitted,
    ]);
    expect(decideApprove({ ...approve, contributedMonths: 35 }, long)[0].event.data).toMatchObject({
      educationBenefitChildren: 0,
    });
  });

  it('months contributed: paid months up to the month of death, each calendar month once', () => {
    const months = [
      { month: '2023-01', paid: true },
      { month: '2023-02', paid: false },
      { month: '2023-03', paid: true },
      // The same month paid in a second program's enrollment counts once.
      { month: '2023-03', paid: true },
      { month: '2023-04', paid: true },
    ];
    expect(contributedMonths(months, '2023-03-31')).toBe(2);
    expect(contributedMonths(months, '2023-04-01')).toBe(3);
  });

  it('a new regulation is a new row: events before its day keep the old one', () => {
    const rules = [
      {
        kind: 'JKM' as const,
        benefit: 'death' as const,
        component: 'funeral',
        amount: 10_000_000,
        regulation: 'A',
        from: '2019-12-02',
      },
      {
        kind: 'JKM' as const,
        benefit: 'death' as const,
        component: 'funeral',
        amount: 15_000_000,
        regulation: 'B',
        from: '2027-01-01',
      },
    ];
    expect(benefitLines('JKM', 'death', '2026-12-31', 0, rules)?.[0].amount).toBe(10_000_000);
    expect(benefitLines('JKM', 'death', '2027-01-01', 0, rules)?.[0].amount).toBe(15_000_000);
  });

  it('paid, rejected, withdrawn and reopened (a bounded number of times) with the guard', () => {
    const approvedEvent = decideApprove(approve, stateOf([filedEvent(), completed, submitted]))[0]
      .event as ClaimEvent;
    const paid = decidePay(
      { type: 'PayClaim', paidOn: '2026-03-20', reference: 'TRF-1', today: '2026-03-21' },
      stateOf([filedEvent(), completed, submitted, approvedEvent]),
    );
    expect(paid.map((d) => d.event.type)).toEqual(['ClaimPaid', 'ClaimClosed']);
    expect(paid[0].event.data).toMatchObject({ amount: 42_000_000 });
    expect(
      rule(() =>
        decidePay(
          { type: 'PayClaim', paidOn: '2026-03-22', reference: 'TRF-1', today: '2026-03-21' },
          stateOf([filedEvent(), completed, submitted, approvedEvent]),
        ),
      ),
    ).toBe('claim.paidOn');

    const rejected = decideReject(
      { type: 'RejectClaim', code: 'documents_invalid', note: null, rejectedOn: '2026-03-15' },
      stateOf([filedEvent()]),
    );
    expect(rejected[1].event).toMatchObject({ type: 'ClaimClosed', data: { keepsDeath: true } });
    const withdrawn = decideWithdraw(
      { type: 'WithdrawClaim', withdrawnOn: '2026-03-15', note: null },
      stateOf([filedEvent()]),
    );
    expect(withdrawn[1].event).toMatchObject({ type: 'ClaimClosed', data: { keepsDeath: false } });

    const rejectedEvent = rejected[0].event as ClaimEvent;
    const reopen = { type: 'ReopenClaim' as const, reopenedOn: '2026-03-16', note: null };
    const reopened = decideReopen(reopen, stateOf([filedEvent(), rejectedEvent]), initialClaimGuard());
    expect(reopened.map((d) => d.event.type)).toEqual(['ClaimReopened', 'ClaimOpened']);
    const twice = [
      filedEvent(),
      rejectedEvent,
      reopened[0].event as ClaimEvent,
      rejectedEvent,
      reopened[0].event as ClaimEvent,
      rejectedEvent,
    ];
    expect(rule(() => decideReopen(reopen, stateOf(twice), initialClaimGuard()))).toBe('claim.reopenLimit');
    expect(rule(() => decideReopen(reopen, stateOf([filedEvent()]), initialClaimGuard()))).toBe(
      'claim.status',
    );
  });
});
