import { specFor } from '../../shared/decider-spec';
import { COVERED_ELSEWHERE_MESSAGE } from '../propose/allocate';
import { approved, attributes, ids, program, proposed } from '../enrollment.examples';
import type { EnrollmentEvent } from '../enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../enrollment.state';
import { decideCorrection, type CorrectEnrollment, type OtherCoverage } from './correct.decider';

const given = specFor({
  initialState: initialEnrollmentState,
  evolve: evolveEnrollment,
  decide: decideCorrection,
});

// Program A of 2025-10-01..2025-12-31, corrected in December 2026 as a late report.
const programA = program({ period: { from: '2025-10-01', to: '2025-12-31' } });
const correct = (over: Partial<CorrectEnrollment> = {}): CorrectEnrollment => ({
  type: 'CorrectEnrollment',
  reason: 'late_report',
  note: 'Laporan kematian terlambat',
  today: '2026-12-01',
  role: 'program_admin',
  birthDate: '1980-05-05',
  program: programA,
  seats: { inUse: 0, released: { '2025-11-15': 1 } },
  others: [],
  ...over,
});
const approvedFrom = (coverageFrom: string): EnrollmentEvent => ({
  type: 'EnrollmentApproved',
  data: { ...(approved as Extract<EnrollmentEvent, { type: 'EnrollmentApproved' }>).data, coverageFrom },
});
const deregisteredOn = (coverageFrom: string, effectiveDate: string): EnrollmentEvent => ({
  type: 'EnrollmentDeregistered',
  data: { ...ids, reason: 'deceased', note: null, coverageFrom, effectiveDate, ...attributes },
});
/** The same NIK covered by program B from 2025-11-16, proposed after A's coverage ended. */
const inProgramB = (over: Partial<OtherCoverage> = {}): OtherCoverage => ({
  enrollmentId: 'e2',
  programId: 'p2',
  programName: 'Program Sawahlunto',
  from: '2025-11-16',
  to: '2025-12-31',
  visible: true,
  ...over,
});
const refusal = (command: CorrectEnrollment, past: EnrollmentEvent[]) => {
  try {
    decideCorrection(command, past.reduce(evolveEnrollment, initialEnrollmentState()));
  } catch (error) {
    return error as { rule: string; kind: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('the correction was accepted');
};

describe('a correction that widens a coverage keeps one coverage per NIK', () => {
  const endedInA = [proposed, approvedFrom('2025-10-01'), deregisteredOn('2025-10-01', '2025-11-15')];

  it("refuses a later last day that reaches another program's coverage that began after the end", () => {
    const error = refusal(correct({ endedOn: '2025-11-30', others: [inProgramB()] }), endedInA);
    expect(error).toMatchObject({
      rule: 'nik.coverageOverlap',
      kind: 'conflict',
      details: { field: 'endedOn', programId: 'p2', coverage: { from: '2025-11-16', to: '2025-12-31' } },
    });
    expect(error.message).toContain('Program Sawahlunto');
  });

  it('names nothing of a program the caller cannot see: the neutral message, the same rule', () => {
    const error = refusal(
      correct({ endedOn: '2025-11-30', others: [inProgramB({ visible: false })] }),
      endedInA,
    );
    expect(error).toMatchObject({
      rule: 'nik.coverageOverlap',
      kind: 'conflict',
      details: { field: 'endedOn' },
    });
    expect(error.message).toBe(COVERED_ELSEWHERE_MESSAGE);
    expect(JSON.stringify(error.details)).not.toContain('p2');
  });

  it('accepts a later last day that stops before the other coverage begins', () =>
    given([proposed, approvedFrom('2025-10-01'), deregisteredOn('2025-10-01', '2025-11-10')])
      .when(
        correct({
          endedOn: '2025-11-15',
          seats: { inUse: 0, released: { '2025-11-10': 1 } },
          others: [inProgramB()],
        }),
      )
      .then(
        expect.arrayContaining([
          {
            streamId: 'nik-k1',
            event: {
              type: 'ReleasedCoverageCorrected',
              data: { ...ids, coverage: { from: '2025-10-01', to: '2025-11-15' } },
            },
          },
        ]),
      ));

  it('an earlier last day adds no day: accepted whatever the other coverages', () =>
    given(endedInA)
      .when(correct({ endedOn: '2025-11-10', others: [inProgramB({ from: '2025-10-01' })] }))
      .then(expect.arrayContaining([expect.objectContaining({ streamId: 'enrollment-e1' })])));

  it("refuses a start moved earlier onto another enrollment's coverage released after this proposal", () => {
    // Covered in A from 2025-11-16; the NIK's coverage in B of 2025-10-01..2025-11-10 ended after A's proposal.
    const releasedInB = inProgramB({ from: '2025-10-01', to: '2025-11-10' });
    const error = refusal(
      correct({ coverageFrom: '2025-11-01', seats: { inUse: 1, released: {} }, others: [releasedInB] }),
      [proposed, approvedFrom('2025-11-16')],
    );
    expect(error).toMatchObject({
      rule: 'nik.coverageOverlap',
      kind: 'conflict',
      details: { field: 'coverageFrom', coverage: { from: '2025-10-01', to: '2025-11-10' } },
    });
  });

  it('with no other enrollment of the NIK, an earlier start is accepted and written to the NIK registry', () =>
    given([proposed, approvedFrom('2025-11-16')])
      .when(correct({ coverageFrom: '2025-11-01', seats: { inUse: 1, released: {} } }))
      .then(
        expect.arrayContaining([
          {
            streamId: 'nik-k1',
            event: { type: 'CoverageClaimCorrected', data: { ...ids, coverageFrom: '2025-11-01' } },
          },
        ]),
      ));

  it("ignores the enrollment's own entry in the registry", () =>
    given([proposed, approvedFrom('2025-11-16')])
      .when(
        correct({
          coverageFrom: '2025-11-01',
          seats: { inUse: 1, released: {} },
          others: [inProgramB({ enrollmentId: 'e1', programId: 'p1', from: '2025-11-16' })],
        }),
      )
      .then(expect.arrayContaining([expect.objectContaining({ streamId: 'nik-k1' })])));
});
