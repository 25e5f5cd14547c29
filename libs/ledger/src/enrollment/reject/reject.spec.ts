import { specFor } from '../../shared/decider-spec';
import { approved, ids, ownEvents, proposed, rule, stateOf } from '../enrollment.examples';
import type { EnrollmentEvent } from '../enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../enrollment.state';
import { decideRejection, type RejectEnrollment } from './reject.decider';

const decide = (past: EnrollmentEvent[], command: Omit<RejectEnrollment, 'seats'>) =>
  ownEvents(decideRejection({ ...command, seats: { inUse: 1, released: {} } }, stateOf(past)));

describe('rejecting an enrollment', () => {
  it('rejects only proposals', () => {
    expect(
      decide([proposed], {
        type: 'RejectEnrollment',
        reason: 'NIK ganda',
        today: '2026-01-06',
        role: 'program_admin',
        backfillToleranceDays: 7,
      }),
    ).toEqual([
      { type: 'EnrollmentRejected', data: { ...ids, reason: 'NIK ganda', rejectedOn: '2026-01-06' } },
    ]);
    expect(
      rule(() =>
        decide([proposed, approved], {
          type: 'RejectEnrollment',
          reason: 'x',
          today: '2026-01-06',
          role: 'program_admin',
          backfillToleranceDays: 7,
        }),
      ),
    ).toBe('enrollment.notProposed');
  });

  const given = specFor({
    initialState: initialEnrollmentState,
    evolve: evolveEnrollment,
    decide: decideRejection,
  });

  it('gives back the seat and the NIK claim the day it is rejected', () =>
    given([proposed])
      .when({
        type: 'RejectEnrollment',
        reason: 'NIK ganda',
        today: '2026-01-06',
        role: 'program_admin',
        backfillToleranceDays: 7,
        seats: { inUse: 5, released: {} },
      })
      .then([
        {
          streamId: 'enrollment-e1',
          event: {
            type: 'EnrollmentRejected',
            data: { ...ids, reason: 'NIK ganda', rejectedOn: '2026-01-06' },
          },
        },
        {
          streamId: 'seats-p1',
          event: { type: 'SeatsReleased', data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 4 } },
        },
        {
          streamId: 'nik-k1',
          event: { type: 'CoverageReleased', data: { ...ids, releasedOn: '2026-01-06' } },
        },
      ]));

  it('a decided enrollment is a conflict', () =>
    given([proposed, approved])
      .when({
        type: 'RejectEnrollment',
        reason: 'x',
        today: '2026-01-06',
        role: 'program_admin',
        backfillToleranceDays: 7,
        seats: { inUse: 1, released: {} },
      })
      .thenThrows('enrollment.notProposed', 'conflict'));

  it('a rejection dated long ago is a backfill, released on its own day', () => {
    const past = {
      type: 'RejectEnrollment' as const,
      reason: 'NIK ganda',
      rejectedOn: '2026-01-06',
      today: '2026-03-01',
      role: 'program_admin',
      backfillToleranceDays: 7,
      seats: { inUse: 1, released: {} },
    };
    given([proposed]).when(past).thenThrows('backfill.reasonRequired');
    const decided = decideRejection(
      { ...past, backfill: { reason: 'late_report', note: null } },
      stateOf([proposed]),
    );
    expect(decided[0].event.data).toMatchObject({
      rejectedOn: '2026-01-06',
      backfill: { reason: 'late_report' },
    });
    expect(decided[2].event.data).toMatchObject({ releasedOn: '2026-01-06' });
    given([proposed])
      .when({ ...past, rejectedOn: '2026-03-02' })
      .thenThrows('rejectedOn.future');
  });
});
