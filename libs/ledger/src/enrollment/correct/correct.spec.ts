import { specFor } from '../../shared/decider-spec';
import { approved, attributes, ids, program, proposed, rule, stateOf } from '../enrollment.examples';
import type { EnrollmentEvent } from '../enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from '../enrollment.state';
import { decideCorrection, type CorrectEnrollment } from './correct.decider';

const given = specFor({
  initialState: initialEnrollmentState,
  evolve: evolveEnrollment,
  decide: decideCorrection,
});

// Covered from 2026-02-01 in a program of 2026; corrected in March 2026.
const correct = (over: Partial<CorrectEnrollment> = {}): CorrectEnrollment => ({
  type: 'CorrectEnrollment',
  reason: 'correction',
  note: 'Tanggal mulai salah ketik',
  today: '2026-03-01',
  role: 'program_admin',
  birthDate: '1980-05-05',
  program: program(),
  seats: { inUse: 1, released: {} },
  others: [],
  ...over,
});
const deregistered: EnrollmentEvent = {
  type: 'EnrollmentDeregistered',
  data: {
    ...ids,
    reason: 'deceased',
    note: null,
    coverageFrom: '2026-02-01',
    effectiveDate: '2026-02-20',
    ...attributes,
  },
};
const correction = (data: Partial<Extract<EnrollmentEvent, { type: 'EnrollmentCorrected' }>['data']>) => ({
  type: 'EnrollmentCorrected',
  data: {
    ...ids,
    previous: { coverageFrom: '2026-02-01', endedOn: null },
    coverageFrom: '2026-02-01',
    endedOn: null,
    reason: 'correction',
    note: 'Tanggal mulai salah ketik',
    correctedOn: '2026-03-01',
    ...attributes,
    ...data,
  },
});

describe('correcting a coverage', () => {
  it('moves the start of an active coverage, naming the period it replaces; a start long past is a backfill', () =>
    given([proposed, approved])
      .when(correct({ coverageFrom: '2026-01-15' }))
      .then([
        {
          streamId: 'enrollment-e1',
          event: correction({
            coverageFrom: '2026-01-15',
            backfill: { reason: 'correction', note: 'Tanggal mulai salah ketik' },
          }) as EnrollmentEvent,
        },
        {
          streamId: 'seats-p1',
          event: { type: 'SeatsCovered', data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 1 } },
        },
        {
          // A widened coverage: a concurrent decision on the same NIK conflicts and decides again.
          streamId: 'nik-k1',
          event: { type: 'CoverageClaimCorrected', data: { ...ids, coverageFrom: '2026-01-15' } },
        },
      ]));

  it('corrects the last day of an ended coverage, and the NIK registry keeps the new period', () =>
    given([proposed, approved, deregistered])
      .when(correct({ endedOn: '2026-02-25', reason: 'late_report', today: '2026-02-26' }))
      .then([
        {
          streamId: 'enrollment-e1',
          event: correction({
            previous: { coverageFrom: '2026-02-01', endedOn: '2026-02-20' },
            endedOn: '2026-02-25',
            reason: 'late_report',
            correctedOn: '2026-02-26',
          }) as EnrollmentEvent,
        },
        {
          // The seat is free for coverages that start after the corrected last day only.
          streamId: 'seats-p1',
          event: {
            type: 'SeatsReleased',
            data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 1, released: { '2026-02-25': 1 } },
          },
        },
        {
          streamId: 'nik-k1',
          event: {
            type: 'ReleasedCoverageCorrected',
            data: { ...ids, coverage: { from: '2026-02-01', to: '2026-02-25' } },
          },
        },
      ]));

  it('the state folds the corrected period', () => {
    const state = stateOf([
      proposed,
      approved,
      correction({ coverageFrom: '2026-01-15' }) as EnrollmentEvent,
    ]);
    expect({ coverageFrom: state.coverageFrom, endedOn: state.endedOn, status: state.status }).toEqual({
      coverageFrom: '2026-01-15',
      endedOn: null,
      status: 'approved',
    });
  });

  it('keeps the rules: inside the period, start ≤ end, the age cap at the new start', () => {
    const at = (over: Partial<CorrectEnrollment>, past = [proposed, approved, deregistered]) =>
      rule(() => decideCorrection(correct(over), stateOf(past)));
    expect(at({ coverageFrom: '2025-12-31' })).toBe('coverage.outsidePeriod');
    expect(at({ endedOn: '2027-01-01' })).toBe('coverage.outsidePeriod');
    expect(at({ coverageFrom: '2026-02-21' })).toBe('correction.order');
    expect(at({ coverageFrom: '2026-01-10', birthDate: '1960-01-05' })).toBe('enrollment.ageCap');
    expect(at({ coverageFrom: '2026-01-10', birthDate: null })).toBe('participant.erased');
    expect(at({ coverageFrom: '2026-02-01' })).toBe('correction.unchanged');
    expect(at({})).toBe('correction.empty');
  });

  it('only approved or ended coverages; an active one is ended by deregistration, not by correction', () => {
    given([proposed])
      .when(correct({ coverageFrom: '2026-02-05' }))
      .thenThrows('enrollment.notCovered', 'conflict');
    given([proposed, approved])
      .when(correct({ endedOn: '2026-02-25' }))
      .thenThrows('correction.noEnd', 'conflict');
    given([])
      .when(correct({ coverageFrom: '2026-02-05' }))
      .thenThrows('enrollment.notFound', 'not_found');
  });

  it('a correction reaching back beyond the tolerance is a backfill: only a program admin', () =>
    given([proposed, approved])
      .when(correct({ coverageFrom: '2026-01-15', role: 'village_operator' }))
      .thenThrows('backfill.forbidden', 'forbidden'));

  it("starts no coverage on or before the NIK's earlier coverage's last day", () => {
    const afterEarlier = {
      ...proposed,
      data: { ...proposed.data, previousCoverageEnd: '2026-01-20' },
    } as EnrollmentEvent;
    given([afterEarlier, approved])
      .when(correct({ coverageFrom: '2026-01-20' }))
      .thenThrows('nik.coverageOverlap', 'conflict');
  });
});
