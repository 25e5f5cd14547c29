import type { ClaimGuardEvent } from '../claim.events';
import { evolveClaimGuard, initialClaimGuard } from '../claim.state';
import { filing, rule, sealed } from '../claims.examples';
import { decideFiling } from '../file/file-claim.decider';
import { decideDeathReport, type ReportDeath } from './report-death.decider';

const deregistered = [{ streamId: 'enrollment-e1', event: { type: 'EnrollmentDeregistered', data: {} } }];
const report = (over: Partial<ReportDeath> = {}): ReportDeath => ({
  type: 'ReportDeath',
  reportId: 'r1',
  participantId: 'u1',
  villageCode: '1603012001',
  dateOfDeath: '2026-03-10',
  reportedOn: '2026-03-12',
  reporter: { name: 'Rahmat', relationship: 'village_officer', phone: null },
  certificate: { number: 'KM-1', issuedOn: '2026-03-11' },
  birthDate: '1980-05-05',
  today: '2026-03-15',
  seal: () => sealed,
  coverage: { enrollmentId: 'e1', programId: 'p1', deregistration: () => deregistered as never },
  ...over,
});

describe('reporting a death without a claim', () => {
  it('records the death on the guard with the reporter sealed, and ends the running coverage with it', () => {
    const decided = decideDeathReport(report(), initialClaimGuard());
    expect(decided.map((d) => d.streamId)).toEqual(['claimguard-u1', 'enrollment-e1']);
    expect(decided[0].event.data).toMatchObject({
      reportId: 'r1',
      enrollmentId: 'e1',
      dateOfDeath: '2026-03-10',
      reporter: sealed,
      coverageEnded: true,
    });
    expect(JSON.stringify(decided)).not.toContain('Rahmat');
    // No coverage ran that day: the death is recorded all the same.
    const alone = decideDeathReport(report({ coverage: undefined }), initialClaimGuard());
    expect(alone.map((d) => d.streamId)).toEqual(['claimguard-u1']);
    expect(alone[0].event.data).toMatchObject({ enrollmentId: null, coverageEnded: false });
  });

  it('one death per person: refused after a death claim or a report', () => {
    const reported = decideDeathReport(report(), initialClaimGuard())[0].event as ClaimGuardEvent;
    const afterReport = evolveClaimGuard(initialClaimGuard(), reported);
    expect(rule(() => decideDeathReport(report({ reportId: 'r2' }), afterReport))).toBe('death.exists');
    const claimed = evolveClaimGuard(initialClaimGuard(), {
      type: 'ClaimOpened',
      data: { claimId: 'c0', kind: 'JKM', death: true },
    });
    expect(rule(() => decideDeathReport(report(), claimed))).toBe('death.exists');
  });

  it('a later death claim is for the reported death: same date, linked, no second deregistration', () => {
    const reported = decideDeathReport(report(), initialClaimGuard())[0].event as ClaimGuardEvent;
    const guard = evolveClaimGuard(initialClaimGuard(), reported);
    expect(rule(() => decideFiling(filing({ eventDate: '2026-03-09' }), guard))).toBe(
      'claim.eventDate.reportedDeath',
    );
    const filed = decideFiling(filing({ deregistration: () => deregistered as never }), guard);
    expect(filed[0].event.data).toMatchObject({ deathReportId: 'r1', eligible: true });
    expect(filed.map((d) => d.streamId)).not.toContain('enrollment-e1');
    // An accident claim is not a death: the report does not bind its date.
    expect(
      rule(() =>
        decideFiling(filing({ kind: 'JKK', benefit: 'medical', heirs: [], eventDate: '2026-03-01' }), guard),
      ),
    ).toBeUndefined();
  });

  it('refuses bad input naming every field', () => {
    expect(rule(() => decideDeathReport(report({ dateOfDeath: '2026-03-16' }), initialClaimGuard()))).toBe(
      'death.dateOfDeath.future',
    );
    expect(
      rule(() =>
        decideDeathReport(
          report({
            dateOfDeath: '1980-05-04',
            reportedOn: '2026-03-12',
            certificate: { number: 'K', issuedOn: '2026-03-11' },
          }),
          initialClaimGuard(),
        ),
      ),
    ).toBe('death.dateOfDeath.beforeBirth');
    expect(
      rule(() =>
        decideDeathReport(
          report({ reporter: { name: ' ', relationship: 'neighbour' as never, phone: null } }),
          initialClaimGuard(),
        ),
      ),
    ).toBe('death.reporter.relationship');
  });
});
