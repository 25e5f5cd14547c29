import { specFor } from '../../../shared/decider-spec';
import { approved, ids, program, proposed } from '../../enrollment.examples';
import type { EnrollmentEvent } from '../../enrollment.events';
import {
  decideImportApproval,
  evolveImportedEnrollments,
  initialImportedEnrollments,
  type ApproveImportedEnrollments,
} from './approve-import.decider';

const given = specFor({
  initialState: initialImportedEnrollments,
  evolve: evolveImportedEnrollments,
  decide: decideImportApproval,
});

const second: EnrollmentEvent = {
  ...proposed,
  data: { ...proposed.data, enrollmentId: 'e2', participantId: 'u2', nikKey: 'k2' },
} as EnrollmentEvent;
const approveAll = (birthDates: [string, string | null][]): ApproveImportedEnrollments => ({
  type: 'ApproveImportedEnrollments',
  enrollmentIds: ['e1', 'e2'],
  coverageFrom: '2026-02-01',
  today: '2026-01-20',
  birthDates: new Map(birthDates),
  programs: new Map([['p1', { program: program(), seatsInUse: 2 }]]),
});

describe('approving an import as a whole', () => {
  it('approves every proposal still pending; their seats are then held by coverage', () =>
    given([proposed, second, approved])
      .when(approveAll([['u2', '1980-05-05']]))
      .then({
        events: [
          {
            streamId: 'enrollment-e2',
            event: {
              ...approved,
              data: { ...approved.data, enrollmentId: 'e2', participantId: 'u2' },
            } as EnrollmentEvent,
          },
          {
            streamId: 'seats-p1',
            event: { type: 'SeatsCovered', data: { programId: 'p1', enrollmentIds: ['e2'], inUse: 2 } },
          },
        ],
        refused: [],
      }));

  it('reports the rows it cannot approve and approves the others', () => {
    const { events, refused } = decideImportApproval(
      approveAll([
        [ids.participantId, null],
        ['u2', '1980-05-05'],
      ]),
      [proposed, second].reduce(evolveImportedEnrollments, initialImportedEnrollments()),
    );
    expect(refused).toEqual([
      { enrollmentId: 'e1', rule: 'participant.erased', message: expect.any(String) },
    ]);
    expect(events.map((e) => e.streamId)).toEqual(['enrollment-e2', 'seats-p1']);
  });
});
