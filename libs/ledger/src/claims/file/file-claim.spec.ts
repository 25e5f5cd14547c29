import { RuleViolation } from '../../shared/rule-violation';
import { initialClaimGuard, evolveClaimGuard, type ClaimGuardState } from '../claim.state';
import type { ClaimGuardEvent } from '../claim.events';
import { filing, heir, rule, sealed } from '../claims.examples';
import { decideFiling } from './file-claim.decider';

const guardOf = (events: ClaimGuardEvent[]): ClaimGuardState =>
  events.reduce(evolveClaimGuard, initialClaimGuard());
const deregistered = [{ streamId: 'enrollment-e1', event: { type: 'EnrollmentDeregistered', data: {} } }];

describe('filing a claim', () => {
  it('records an eligible death with sealed heirs, takes the guard and ends the coverage in the same decision', () => {
    const decided = decideFiling(
      filing({ deregistration: () => deregistered as never }),
      initialClaimGuard(),
    );
    expect(decided.map((d) => d.streamId)).toEqual([
      'claim-c1',
      'claimguard-u1',
      'dues-p1_2026-03',
      'enrollment-e1',
    ]);
    // The contribution rule's month is marked, so a payment racing the filing conflicts with it.
    expect(decided[2].event).toEqual({
      type: 'ClaimContributionChecked',
      data: { claimId: 'c1', enrollmentId: 'e1', month: '2026-03', paid: true },
    });
    expect(decided[0].event.data).toMatchObject({ eligible: true, reasons: [], heirs: sealed, heirCount: 1 });
    expect(JSON.stringify(decided)).not.toContain(heir.nik);
    expect(decided[1].event).toEqual({
      type: 'ClaimOpened',
      data: { claimId: 'c1', kind: 'JKM', death: true },
    });
  });

  it('a claim failing the rules is still recorded, with every reason, and ends no coverage', () => {
    const uncovered = decideFiling(
      filing({
        facts: {
          coverage: { from: '2026-04-01', to: '2026-12-31' },
          contribution: { paid: false, graceEnd: '2026-06-15' },
          reportingWindowDays: 30,
        },
        deregistration: () => deregistered as never,
      }),
      initialClaimGuard(),
    );
    expect(uncovered[0].event.data).toMatchObject({
      eligible: false,
      reasons: ['not_covered_on_event_date'],
    });
    expect(uncovered.map((d) => d.streamId)).toEqual(['claim-c1', 'claimguard-u1', 'dues-p1_2026-03']);

    const unpaidPastGrace = decideFiling(
      filing({
        today: '2026-06-16',
        facts: {
          coverage: { from: '2026-01-01', to: '2026-12-31' },
          contribution: { paid: false, graceEnd: '2026-06-15' },
          reportingWindowDays: 30,
        },
      }),
      initialClaimGuard(),
    );
    expect(unpaidPastGrace[0].event.data).toMatchObject({ reasons: ['contribution_unpaid'] });
    // Unpaid, but its arrears may still be paid: not a reason.
    const withinGrace = decideFiling(
      filing({
        facts: {
          coverage: { from: '2026-01-01', to: '2026-12-31' },
          contribution: { paid: false, graceEnd: '2026-06-15' },
          reportingWindowDays: 30,
        },
      }),
      initialClaimGuard(),
    );
    expect(withinGrace[0].event.data).toMatchObject({ eligible: true });

    const lateAccident = decideFiling(
      filing({
        kind: 'JKK',
        benefit: 'medical',
        eventDate: '2026-01-10',
        reportedOn: '2026-02-10',
        heirs: [],
      }),
      initialClaimGuard(),
    );
    expect(lateAccident[0].event.data).toMatchObject({ reasons: ['reported_late'] });
    const inWindow = decideFiling(
      filing({
        kind: 'JKK',
        benefit: 'medical',
        eventDate: '2026-01-10',
        reportedOn: '2026-02-09',
        heirs: [],
      }),
      initialClaimGuard(),
    );
    expect(inWindow[0].event.data).toMatchObject({ reasons: [] });
    // A program with a shorter window flags the accident the default window accepts.
    const shortWindow = decideFiling(
      filing({
        kind: 'JKK',
        benefit: 'medical',
        eventDate: '2026-01-10',
        reportedOn: '2026-01-25',
        heirs: [],
        facts: { ...filing().facts, reportingWindowDays: 14 },
      }),
      initialClaimGuard(),
    );
    expect(shortWindow[0].event.data).toMatchObject({ reasons: ['reported_late'] });
  });

  it('one open claim per kind, and a death only once (also after it was rejected)', () => {
    const open = guardOf([{ type: 'ClaimOpened', data: { claimId: 'c0', kind: 'JKM', death: true } }]);
    expect(rule(() => decideFiling(filing(), open))).toBe('claim.openExists');
    const rejected = guardOf([
      { type: 'ClaimOpened', data: { claimId: 'c0', kind: 'JKM', death: true } },
      { type: 'ClaimClosed', data: { claimId: 'c0', kind: 'JKM', death: true, keepsDeath: true } },
    ]);
    expect(rule(() => decideFiling(filing(), rejected))).toBe('claim.deathExists');
    // A JKK death after a JKM death is still a second death.
    expect(rule(() => decideFiling(filing({ kind: 'JKK' }), rejected))).toBe('claim.deathExists');
    // An accident claim is not a death.
    expect(
      rule(() => decideFiling(filing({ kind: 'JKK', benefit: 'medical', heirs: [] }), rejected)),
    ).toBeUndefined();
    const withdrawn = guardOf([
      { type: 'ClaimOpened', data: { claimId: 'c0', kind: 'JKM', death: true } },
      { type: 'ClaimClosed', data: { claimId: 'c0', kind: 'JKM', death: true, keepsDeath: false } },
    ]);
    expect(rule(() => decideFiling(filing(), withdrawn))).toBeUndefined();
  });

  it('refuses bad input naming every field', () => {
    expect(rule(() => decideFiling(filing({ eventDate: '2026-03-16' }), initialClaimGuard()))).toBe(
      'claim.eventDate.future',
    );
    expect(
      rule(() =>
        decideFiling(filing({ eventDate: '1980-05-04', reportedOn: '2026-03-12' }), initialClaimGuard()),
      ),
    ).toBe('claim.eventDate.beforeBirth');
    expect(rule(() => decideFiling(filing({ heirs: [] }), initialClaimGuard()))).toBe('claim.heirs.required');
    expect(rule(() => decideFiling(filing({ benefit: 'medical' }), initialClaimGuard()))).toBe(
      'claim.benefit',
    );
    let error: RuleViolation | undefined;
    try {
      decideFiling(
        filing({ heirs: [{ ...heir, relationship: undefined as never, accountNumber: '12AB5678' }] }),
        initialClaimGuard(),
      );
    } catch (e) {
      error = e as RuleViolation;
    }
    expect(error?.kind).toBe('unprocessable');
    expect(error?.reasons?.map((r) => r.field)).toEqual(['heirs[0].relationship', 'heirs[0].accountNumber']);
  });
});
