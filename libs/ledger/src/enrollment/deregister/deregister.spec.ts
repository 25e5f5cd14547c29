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

type Deregistration = Omit<DeregisterEnrollment, 'program' | 'seats'>;
const decide = (past: EnrollmentEvent[], command: Deregistration, p = program()) =>
  ownEvents(decideDeregistration({ ...command, program: p, seats: { inUse: 1, released: {} } }, stateOf(past)));

describe('deregistering an enrollment', () => {
  describe('deregistration', () => {
    const deregister = (effectiveDate: string): Deregistration => ({
      type: 'DeregisterEnrollment',
      reason: 'deceased',
      note: null,
      effectiveDate,
      today: '2026-07-01',
      role: 'program_admin',
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

  it('gives back the seat (free after the last day of coverage only) and the NIK claim on that day', () =>
    given([proposed, approved])
      .when({
        type: 'DeregisterEnrollment',
        reason: 'moved_away',
        note: null,
        effectiveDate: '2026-06-30',
        today: '2026-07-01',
        role: 'program_admin',
        program: program(),
        seats: { inUse: 1, released: { '2025-12-31': 2, '2026-03-01': 1 } },
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
          // Days before the program's start are pruned; the last day joins the others in order.
          event: {
            type: 'SeatsReleased',
            data: {
              programId: 'p1',
              enrollmentIds: ['e1'],
              inUse: 0,
              released: { '2026-03-01': 1, '2026-06-30': 1 },
            },
          },
        },
        {
          streamId: 'nik-k1',
          event: {
            type: 'CoverageReleased',
            data: { ...ids, releasedOn: '2026-06-30', coverage: { from: '2026-02-01', to: '2026-06-30' } },
          },
        },
      ]));

  it('a death reported late, after the program period ended, is a backfill with its reason', () => {
    const late = {
      type: 'DeregisterEnrollment' as const,
      reason: 'deceased' as const,
      note: null,
      effectiveDate: '2026-11-15',
      today: '2027-03-01',
      role: 'program_admin',
      program: program(),
      seats: { inUse: 1, released: {} },
    };
    given([proposed, approved]).when(late).thenThrows('backfill.reasonRequired', 'unprocessable');
    given([proposed, approved])
      .when({ ...late, role: 'village_operator', backfill: { reason: 'late_report', note: null } })
      .thenThrows('backfill.forbidden', 'forbidden');
    const decided = decideDeregistration(
      { ...late, backfill: { reason: 'late_report', note: 'laporan kepala desa' } },
      stateOf([proposed, approved]),
    );
    expect(decided[0].event.data).toMatchObject({
      effectiveDate: '2026-11-15',
      backfill: { reason: 'late_report', note: 'laporan kepala desa' },
    });
    // The NIK stays covered until the day of death.
    expect(decided[2].event.data).toMatchObject({ coverage: { from: '2026-02-01', to: '2026-11-15' } });
  });
});
