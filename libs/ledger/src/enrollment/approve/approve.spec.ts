import { specFor } from '../../shared/decider-spec';
import { approved, ids, ownEvents, program, proposed, rule, stateOf } from '../enrollment.examples';
import type { EnrollmentEvent } from '../enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../enrollment.state';
import { decideApproval, type ApproveEnrollment } from './approve.decider';

type Approval = Omit<ApproveEnrollment, 'program' | 'seatsInUse'>;
const decide = (past: EnrollmentEvent[], command: Approval, p = program()) =>
  ownEvents(decideApproval({ ...command, program: p, seatsInUse: 1 }, stateOf(past)));

describe('approving an enrollment', () => {
  const approve = (coverageFrom: string, birthDate: string | null = '1980-05-05'): Approval => ({
    type: 'ApproveEnrollment',
    coverageFrom,
    today: '2026-01-20',
    birthDate,
  });

  it('approves a proposal with a start inside the program period', () =>
    expect(decide([proposed], approve('2026-02-01'))).toEqual([approved]));

  it('refuses a start outside the period', () => {
    expect(rule(() => decide([proposed], approve('2027-01-01')))).toBe('coverage.outsidePeriod');
    expect(rule(() => decide([proposed], approve('2025-12-31')))).toBe('coverage.outsidePeriod');
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
      .when({ ...approve('2026-02-01'), program: program(), seatsInUse: 7 })
      .then([
        { streamId: 'enrollment-e1', event: approved },
        {
          streamId: 'seats-p1',
          event: {
            type: 'SeatsCovered',
            data: { programId: 'p1', enrollmentIds: [ids.enrollmentId], inUse: 7 },
          },
        },
      ]));

  it('refuses with the kind of each rule', () => {
    given([proposed])
      .when({ ...approve('2027-01-01'), program: program(), seatsInUse: 1 })
      .thenThrows('coverage.outsidePeriod', 'unprocessable');
    given([proposed])
      .when({ ...approve('2026-02-01', null), program: program(), seatsInUse: 1 })
      .thenThrows('participant.erased', 'conflict');
    given([])
      .when({ ...approve('2026-02-01'), program: program(), seatsInUse: 1 })
      .thenThrows('enrollment.notFound', 'not_found');
  });
});
