import { describeReadModel, type GivenEvent } from '../testing/given-events';
import { claimVersionsProjection } from './claim-versions.projection';
import { claimsProjection } from './claims.projection';
import { listClaims } from './claims.query';
import { claimsReport } from './claims-report.query';

const filed = (claimId: string, villageCode: string, over: Record<string, unknown> = {}): GivenEvent => ({
  stream: `claim-${claimId}`,
  type: 'ClaimFiled',
  data: {
    claimId,
    participantId: `u-${claimId}`,
    enrollmentId: `e-${claimId}`,
    programId: 'p1',
    ownerRegion: '1603',
    villageCode,
    kind: 'JKM',
    benefit: 'death',
    eventDate: '2026-03-10',
    reportedOn: '2026-03-12',
    heirs: { v: 1, kid: 'k', iv: 'iv', ct: 'ct', tag: 'tag' },
    heirCount: 1,
    childHeirCount: 0,
    documents: [],
    eligible: true,
    reasons: [],
    coverageFrom: '2026-01-01',
    declaredIncome: 1_000_000,
    ...over,
  },
});
const step = (claimId: string, type: string, data: Record<string, unknown> = {}): GivenEvent => ({
  stream: `claim-${claimId}`,
  type,
  data: { claimId, ...data },
});
const page = { limit: 10, offset: 0 };

/** A claim approved and paid `paidOn`, its event on `eventDate`. */
const paid = (claimId: string, villageCode: string, eventDate: string, paidOn: string): GivenEvent[] => [
  filed(claimId, villageCode, { eventDate }),
  step(claimId, 'ClaimApproved', {
    amount: 42_000_000,
    breakdown: [],
    educationBenefitChildren: 0,
    approvedOn: eventDate,
  }),
  step(claimId, 'ClaimPaid', { paidOn, reference: `TRF-${claimId}`, amount: 42_000_000 }),
];

describeReadModel('claims read model', [claimsProjection, claimVersionsProjection], ({ given }) => {
  it('follows a claim to payment: status, approved amount and day paid, nothing of the heirs', async () => {
    const read = await given(
      filed('c1', '1603012001'),
      step('c1', 'ClaimDocumentsCompleted', { documents: [], completedOn: '2026-03-13' }),
      step('c1', 'ClaimSubmitted', { submittedOn: '2026-03-14' }),
      step('c1', 'ClaimApproved', {
        amount: 42_000_000,
        breakdown: [],
        educationBenefitChildren: 0,
        approvedOn: '2026-03-15',
      }),
      step('c1', 'ClaimPaid', { paidOn: '2026-03-20', reference: 'TRF-1', amount: 42_000_000 }),
    );
    const { claims, page: answered } = await listClaims(read, { region: '1603', ...page });
    expect(answered.total).toBe(1);
    expect(claims).toEqual([
      {
        claimId: 'c1',
        participantId: 'u-c1',
        programId: 'p1',
        villageCode: '1603012001',
        kind: 'JKM',
        benefit: 'death',
        status: 'paid',
        eventDate: '2026-03-10',
        reportedOn: '2026-03-12',
        eligible: true,
        reasons: [],
        amount: 42_000_000,
        paidOn: '2026-03-20',
      },
    ]);
    const [row] = await read.selectFrom('claims').selectAll().execute();
    expect(Object.keys(row)).not.toContain('heirs');
  });

  it('a reopened claim is filed again without its amount; an ineligible one keeps its reasons', async () => {
    const read = await given(
      filed('c1', '1603012001'),
      step('c1', 'ClaimRejected', { code: 'documents_invalid', note: null, rejectedOn: '2026-03-15' }),
      step('c1', 'ClaimReopened', { reopenedOn: '2026-03-16', note: null }),
      filed('c2', '1603012001', {
        eligible: false,
        reasons: ['not_covered_on_event_date', 'contribution_unpaid'],
        eventDate: '2026-03-11',
      }),
    );
    const { claims } = await listClaims(read, { region: '1603', ...page });
    expect(claims.map((c) => [c.claimId, c.status, c.amount, c.eligible, c.reasons])).toEqual([
      ['c2', 'filed', null, false, ['not_covered_on_event_date', 'contribution_unpaid']],
      ['c1', 'filed', null, true, []],
    ]);
  });

  it('lists a region’s claims only, filtered by kind and status, one page at a time', async () => {
    const read = await given(
      filed('c1', '1603012001'),
      filed('c2', '1603012002', { kind: 'JKK', eventDate: '2026-03-11' }),
      filed('c3', '1671012001', { eventDate: '2026-03-12' }),
      step('c2', 'ClaimWithdrawn', { withdrawnOn: '2026-03-15', note: null }),
    );
    const inRegion = await listClaims(read, { region: '1603', ...page });
    expect(inRegion.claims.map((c) => c.claimId)).toEqual(['c2', 'c1']);
    expect(
      (await listClaims(read, { region: '1603', kind: 'JKK', ...page })).claims.map((c) => c.claimId),
    ).toEqual(['c2']);
    expect(
      (await listClaims(read, { region: '16', status: 'withdrawn', ...page })).claims.map((c) => c.claimId),
    ).toEqual(['c2']);
    const second = await listClaims(read, { region: '16', limit: 1, offset: 1 });
    expect(second.claims.map((c) => c.claimId)).toEqual(['c2']);
    expect(second.page).toEqual({ offset: 1, limit: 1, total: 3 });
  });

  it('days to payment per regency: nearest-rank median and p90 over an even count with ties, across months and a leap day', async () => {
    const read = await given(
      // Muara Enim: 2, 5, 5 and 9 days (5 across the leap day, 9 across the year's end), and
      // one approved, not paid.
      ...paid('a1', '1603012001', '2024-02-27', '2024-03-03'),
      ...paid('a2', '1603012001', '2024-03-10', '2024-03-12'),
      ...paid('a3', '1603012002', '2024-03-10', '2024-03-15'),
      ...paid('a4', '1603012002', '2023-12-28', '2024-01-06'),
      ...paid('a5', '1603012001', '2024-03-10', '2024-03-11').slice(0, 2),
      // Lubuk Linggau: 1 day five times, 4 days four times, 7 days once.
      ...[1, 1, 1, 1, 1, 4, 4, 4, 4, 7].flatMap((d, i) =>
        paid(`b${i}`, '1673012001', '2024-05-01', `2024-05-${String(1 + d).padStart(2, '0')}`),
      ),
    );
    const expected = [
      { regency: '1603', paidClaims: 4, medianDays: 5, p90Days: 9 },
      { regency: '1673', paidClaims: 10, medianDays: 1, p90Days: 4 },
    ];
    expect((await claimsReport(read, { region: '16' })).paymentDelay).toEqual(expected);
    // The report as the ledger knew it at its head counts the same delays from the versions.
    expect((await claimsReport(read, { region: '16' }, { knownAt: 1_000_000 })).paymentDelay).toEqual(
      expected,
    );
    // A filter narrows the delays with the groups: the 2024 events of Muara Enim, three of them.
    expect((await claimsReport(read, { region: '1603', year: 2024 })).paymentDelay).toEqual([
      { regency: '1603', paidClaims: 3, medianDays: 5, p90Days: 5 },
    ]);
    expect((await claimsReport(read, { region: '1603', kind: 'JKK' })).paymentDelay).toEqual([]);
  });
});
