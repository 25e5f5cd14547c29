import { specFor } from '../../shared/decider-spec';
import {
  approved,
  attributes,
  ids,
  ownEvents,
  program,
  proposed,
  rule,
  stateOf,
} from '../enrollment.examples';
import type { EnrollmentEvent } from '../enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../enrollment.state';
import { decideDeregistration, type DeregisterEnrollment } from './deregister.decider';

type Deregistration = Omit<DeregisterEnrollment, 'program' | 'seatsInUse'>;
const decide = (past: EnrollmentEvent[], command: Deregistration, p = program()) =>
  ownEvents(decideDeregistration({ ...command, program: p, seatsInUse: 1 }, stateOf(past)));

describe('deregistering an enrollment', () => {
  describe('deregistration', () => {
    const deregister = (effectiveDate: string): Deregistration => ({
      type: 'DeregisterEnrollment',
      reason: 'deceased',
      note: null,
      effectiveDate,
    });
    it('ends an active coverage on its effective date', () =>
      expect(decide([proposed, approved], deregister('2026-06-30'))).toEqual([
        {
          type: 'EnrollmentDeregistered',
          data: {
            ...ids,
            reason: 'deceased',
            note: null,
            coverageFrom: '2026-02-01',
            effectiveDate: '2026-06-30',
            ...attributes,
          },
        },
      ]));
    it('only an active enrollment, never before it started, never after the program ended', () => {
      expect(rule(() => decide([proposed], deregister('2026-06-30')))).toBe('enrollment.notActive');
      expect(rule(() => decide([proposed, approved], deregister('2026-01-31')))).toBe(
        'deregistration.beforeStart',
      );
      expect(rule(() => decide([proposed, approved], deregister('2027-01-01')))).toBe('enrollment.notActive');
      expect(
        rule(() => decide([proposed, approved], deregister('2026-12-01'), program({}, '2026-11-30'))),
      ).toBe('enrollment.notActive');
    });
  });
  const given = specFor({
    initialState: initialEnrollmentState,
    evolve: evolveEnrollment,
    decide: decideDeregistration,
  });

  it('gives back the seat and the NIK claim on the last day of coverage', () =>
    given([proposed, approved])
      .when({
        type: 'DeregisterEnrollment',
        reason: 'moved_away',
        note: null,
        effectiveDate: '2026-06-30',
        program: program(),
        seatsInUse: 0,
      })
      .then([
        {
          streamId: 'enrollment-e1',
          event: {
            type: 'EnrollmentDeregistered',
            data: {
              ...ids,
              reason: 'moved_away',
              note: null,
              coverageFrom: '2026-02-01',
              effectiveDate: '2026-06-30',
              ...attributes,
            },
          },
        },
        {
          streamId: 'seats-p1',
          event: { type: 'SeatsReleased', data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 0 } },
        },
        {
          streamId: 'nik-k1',
          event: { type: 'CoverageReleased', data: { ...ids, releasedOn: '2026-06-30' } },
        },
      ]));
});
