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
  role: 'program_admin',
  birthDates: new Map(birthDates),
  programs: new Map([['p1', { program: program(), seats: { inUse: 2, released: {} } }]]),
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
            streamId: 'nik-k2',
            event: {
              type: 'CoverageClaimApproved',
              data: { enrollmentId: 'e2', programId: 'p1', coverageFrom: '2026-02-01' },
            },
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
    expect(events.map((e) => e.streamId)).toEqual(['enrollment-e2', 'nik-k2', 'seats-p1']);
  });

  it('a backfilled approval is decided once for the chunk: refused as a whole, or marked on every row', () => {
    const past = {
      ...approveAll([
        ['u1', '1980-05-05'],
        ['u2', '1980-05-05'],
      ]),
      today: '2026-12-01',
    };
    given([proposed, second]).when(past).thenThrows('backfill.reasonRequired');
    given([proposed, second])
      .when({ ...past, role: 'village_operator' })
      .thenThrows('backfill.forbidden', 'forbidden');
    const backfill = { reason: 'migration' as const, note: null };
    const decided = decideImportApproval(
      { ...past, backfill },
      [proposed, second].reduce(evolveImportedEnrollments, initialImportedEnrollments()),
    );
    const approvals = decided.events.filter((e) => e.event.type === 'EnrollmentApproved');
    expect(approvals).toHaveLength(2);
    for (const a of approvals)
      expect(a.event.data).toMatchObject({ coverageFrom: '2026-02-01', approvedOn: '2026-12-01', backfill });
  });
});
