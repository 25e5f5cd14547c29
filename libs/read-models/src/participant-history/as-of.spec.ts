import { coverageOn, dayOf, enrollmentsOn, type HistoryFact } from './as-of';

describe('participant history as of a day', () => {
  it('the day of an instant is its calendar day in WIB (UTC+7)', () => {
    expect(dayOf('2026-03-31T16:59:59.999Z')).toBe('2026-03-31');
    expect(dayOf('2026-03-31T17:00:00.000Z')).toBe('2026-04-01');
  });

  it('coverage: not yet started, active on both ends, ended; the program end bounds an open coverage', () => {
    const approved = { status: 'approved' as const, coverageFrom: '2026-02-01', endedOn: null };
    expect(coverageOn(approved, '2026-12-31', '2026-01-31')).toEqual({
      status: 'approved-not-yet-started',
      coverage: { from: '2026-02-01', to: '2026-12-31' },
    });
    expect(coverageOn(approved, '2026-12-31', '2026-02-01').status).toBe('active');
    expect(coverageOn(approved, '2026-12-31', '2026-12-31').status).toBe('active');
    expect(coverageOn(approved, '2026-12-31', '2027-01-01').status).toBe('ended');
    const ended = { status: 'deregistered' as const, coverageFrom: '2026-02-01', endedOn: '2026-06-30' };
    expect(coverageOn(ended, '2026-12-31', '2026-06-30')).toEqual({
      status: 'active',
      coverage: { from: '2026-02-01', to: '2026-06-30' },
    });
    expect(coverageOn(ended, '2026-12-31', '2026-07-01').status).toBe('ended');
    for (const status of ['none', 'proposed', 'rejected'] as const) {
      expect(coverageOn({ status, coverageFrom: null, endedOn: null }, '2026-12-31', '2026-05-01')).toEqual({
        status,
        coverage: null,
      });
    }
  });

  const row = (
    type: string,
    occurredAt: string,
    details: Record<string, unknown> = {},
    enrollment = 'e1',
  ): HistoryFact => ({
    type,
    occurred_at: occurredAt,
    enrollment_id: enrollment,
    program_id: `p-${enrollment}`,
    details,
  });

  it('workflow facts count from the WIB day they occurred on; a later deregistration does not change an earlier day', () => {
    const rows = [
      row('ParticipantRegistered', '2026-01-10T02:00:00Z', {}, null as never),
      row('CoverageClaimed', '2026-01-10T02:00:00Z'),
      row('EnrollmentProposed', '2026-01-10T02:00:00Z'),
      // 18:00 UTC on the 19th is already the 20th in WIB.
      row('EnrollmentApproved', '2026-01-19T18:00:00Z', { coverageFrom: '2026-02-01' }),
      // Recorded in May, effective at the end of March (retroactive).
      row('EnrollmentDeregistered', '2026-05-05T03:00:00Z', {
        coverageFrom: '2026-02-01',
        effectiveDate: '2026-03-31',
      }),
      row('CoverageReleased', '2026-05-05T03:00:00Z'),
      row('EnrollmentProposed', '2026-06-01T03:00:00Z', {}, 'e2'),
      row('EnrollmentRejected', '2026-06-02T03:00:00Z', { reason: 'x' }, 'e2'),
    ];
    const end = () => '2026-12-31';
    const on = (date: string) =>
      enrollmentsOn(rows, date, end).map((e) => [e.enrollmentId, e.status, e.coverage]);
    expect(on('2026-01-09')).toEqual([
      ['e1', 'none', null],
      ['e2', 'none', null],
    ]);
    expect(on('2026-01-19')).toEqual([
      ['e1', 'proposed', null],
      ['e2', 'none', null],
    ]);
    expect(on('2026-01-20')).toEqual([
      ['e1', 'approved-not-yet-started', { from: '2026-02-01', to: '2026-12-31' }],
      ['e2', 'none', null],
    ]);
    // As the ledger stood on April 15 the coverage was open; the deregistration came later.
    expect(on('2026-04-15')[0]).toEqual(['e1', 'active', { from: '2026-02-01', to: '2026-12-31' }]);
    expect(on('2026-05-05')[0]).toEqual(['e1', 'ended', { from: '2026-02-01', to: '2026-03-31' }]);
    expect(on('2026-06-01')[1]).toEqual(['e2', 'proposed', null]);
    expect(on('2026-06-02')[1]).toEqual(['e2', 'rejected', null]);
    expect(enrollmentsOn(rows, '2026-06-02', end).map((e) => e.programId)).toEqual(['p-e1', 'p-e2']);
  });
});
