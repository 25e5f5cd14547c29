import { specFor } from '../../shared/decider-spec';
import { approved, ids, ownEvents, program, proposed, rule, stateOf } from '../enrollment.examples';
import type { EnrollmentEvent } from '../enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../enrollment.state';
import { decideApproval, type ApproveEnrollment } from './approve.decider';

type Approval = Omit<ApproveEnrollment, 'program' | 'seats'>;
const decide = (past: EnrollmentEvent[], command: Approval, p = program()) =>
  ownEvents(decideApproval({ ...command, program: p, seats: { inUse: 1, released: {} } }, stateOf(past)));

describe('approving an enrollment', () => {
  const approve = (coverageFrom: string, birthDate: string | null = '1980-05-05'): Approval => ({
    type: 'ApproveEnrollment',
    coverageFrom,
    today: '2026-01-20',
    role: 'program_admin',
    birthDate,
  });

  it('approves a proposal with a start inside the program period', () =>
    expect(decide([proposed], approve('2026-02-01'))).toEqual([approved]));

  it('refuses a start outside the period', () => {
    expect(rule(() => decide([proposed], approve('2027-01-01')))).toBe('coverage.outsidePeriod');
    const late = { reason: 'correction' as const, note: null };
    expect(rule(() => decide([proposed], { ...approve('2025-12-31'), backfill: late }))).toBe(
      'coverage.outsidePeriod',
    );
  });

  it('a coverage start or decision day before today − tolerance is a backfill: a reason, an admin', () => {
    const past = { ...approve('2026-02-01'), today: '2026-12-01' };
    expect(rule(() => decide([proposed], past))).toBe('backfill.reasonRequired');
    expect(rule(() => decide([proposed], { ...past, role: 'village_operator' }))).toBe('backfill.forbidden');
    const backfill = { reason: 'migration' as const, note: 'Data 2026 dari Disnaker' };
    expect(decide([proposed], { ...past, approvedOn: '2026-01-25', backfill })).toEqual([
      { ...approved, data: { ...approved.data, approvedOn: '2026-01-25', backfill } },
    ]);
    // Within the tolerance it is no backfill: a reason given anyway is not recorded.
    expect(decide([proposed], { ...approve('2026-02-01'), today: '2026-02-08', backfill })).toEqual([
      { ...approved, data: { ...approved.data, approvedOn: '2026-02-08' } },
    ]);
    expect(rule(() => decide([proposed], { ...approve('2026-02-01'), approvedOn: '2026-01-21' }))).toBe(
      'approvedOn.future',
    );
  });

  it("starts no coverage on or before the last day of the NIK's earlier coverage", () => {
    const afterEarlier: EnrollmentEvent = {
      ...proposed,
      data: { ...proposed.data, previousCoverageEnd: '2026-02-10' },
    } as EnrollmentEvent;
    expect(rule(() => decide([afterEarlier], approve('2026-02-10')))).toBe('nik.coverageOverlap');
    expect(decide([afterEarlier], approve('2026-02-11'))).toHaveLength(1);
  });

  it('holds the age cap at the coverage start: 65 is allowed, 66 is not', () => {
    expect(decide([proposed], approve('2026-02-01', '1960-12-01'))).toHaveLength(1); // 65
    expect(rule(() => decide([proposed], approve('2026-02-01', '1960-01-31')))).toBe('enrollment.ageCap'); // 66
  });

  it('cannot approve an erased participant, twice, or in a closed program', () => {
    expect(rule(() => decide([proposed], approve('2026-02-01', null)))).toBe('participant.erased');
    expect(rule(() => decide([proposed, approved], approve('2026-02-01')))).toBe('enrollment.notProposed');
    expect(rule(() => decide([proposed], approve('2026-02-01'), program({}, '2026-01-10')))).toBe(
      'program.closed',
    );
    expect(rule(() => decide([], approve('2026-02-01')))).toBe('enrollment.notFound');
  });

  const given = specFor({
    initialState: initialEnrollmentState,
    evolve: evolveEnrollment,
    decide: decideApproval,
  });

  it('holds the seat by coverage: the count of seats in use stays', () =>
    given([proposed])
      .when({ ...approve('2026-02-01'), program: program(), seats: { inUse: 7, released: {} } })
      .then([
        { streamId: 'enrollment-e1', event: approved },
        {
          streamId: 'seats-p1',
          event: {
            type: 'SeatsCovered',
            data: { programId: 'p1', enrollmentIds: [ids.enrollmentId], inUse: 7 },
          },
        },
        // On the NIK's registry, which an erasure appends to: the two cannot both pass unseen.
        {
          streamId: 'nik-k1',
          event: {
            type: 'CoverageClaimApproved',
            data: { enrollmentId: ids.enrollmentId, programId: 'p1', coverageFrom: '2026-02-01' },
          },
        },
      ]));

  it('refuses with the kind of each rule', () => {
    given([proposed])
      .when({ ...approve('2027-01-01'), program: program(), seats: { inUse: 1, released: {} } })
      .thenThrows('coverage.outsidePeriod', 'unprocessable');
    given([proposed])
      .when({ ...approve('2026-02-01', null), program: program(), seats: { inUse: 1, released: {} } })
      .thenThrows('participant.erased', 'conflict');
    given([])
      .when({ ...approve('2026-02-01'), program: program(), seats: { inUse: 1, released: {} } })
      .thenThrows('enrollment.notFound', 'not_found');
  });
});
