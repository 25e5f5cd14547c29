import { specFor } from '../../shared/decider-spec';
import { established } from '../program.examples';
import type { ProgramEvent } from '../program.events';
import { initialProgramState, evolveProgram } from '../program.state';

const stateOf = (events: ProgramEvent[]) => events.reduce(evolveProgram, initialProgramState());
import { decideAmendment, periodChangeEffective } from './amend.decider';

const given = specFor({ initialState: initialProgramState, evolve: evolveProgram, decide: decideAmendment });
/** Who amends and when: an admin, on a day inside the example's period. */
const by = { today: '2026-10-15', role: 'program_admin', coverageStarts: [] as string[] };

describe('amending a program', () => {
  it('amends the quota, never below the seats in use', () => {
    given([established])
      .when({ ...by, type: 'AmendProgramQuota', quota: 30_000, reason: 'APBD-P', seatsInUse: 26_000 })
      .then([{ type: 'ProgramQuotaAmended', data: { programId: 'p1', quota: 30_000, reason: 'APBD-P' } }]);
    given([established])
      .when({ ...by, type: 'AmendProgramQuota', quota: 10, reason: null, seatsInUse: 11 })
      .thenThrows('program.quota.belowUse');
  });

  it('amends the period', () =>
    given([established])
      .when({
        ...by,
        type: 'AmendProgramPeriod',
        period: { from: '2026-10-01', to: '2027-03-31' },
        reason: null,
      })
      .then([
        {
          type: 'ProgramPeriodAmended',
          data: { programId: 'p1', period: { from: '2026-10-01', to: '2027-03-31' }, reason: null },
        },
      ]));

  it('a period start moved later is refused while an approved coverage starts before it, with their count', () => {
    const amend = (period: { from: string; to: string }, coverageStarts: string[]) => ({
      ...by,
      type: 'AmendProgramPeriod' as const,
      period,
      reason: null,
      coverageStarts,
    });
    const starts = ['2026-10-01', '2026-11-15'];
    given([established])
      .when(amend({ from: '2026-10-02', to: '2026-12-31' }, starts))
      .thenThrows('program.period.coverageBefore', 'conflict');
    expect(() =>
      decideAmendment(amend({ from: '2026-11-16', to: '2026-12-31' }, starts), stateOf([established])),
    ).toThrow(
      expect.objectContaining({ details: { count: 2, period: { from: '2026-11-16', to: '2026-12-31' } } }),
    );
    // An end moved before a start is no refusal: the coverage never runs, as after a closure.
    given([established])
      .when(amend({ from: '2026-10-01', to: '2026-11-14' }, starts))
      .then([
        {
          type: 'ProgramPeriodAmended',
          data: { programId: 'p1', period: { from: '2026-10-01', to: '2026-11-14' }, reason: null },
        },
      ]);
  });

  it('a closed program accepts nothing', () => {
    const closed: ProgramEvent = {
      type: 'ProgramClosed',
      data: { programId: 'p1', closedOn: '2026-11-30', reason: null },
    };
    given([established, closed])
      .when({ ...by, type: 'AmendProgramQuota', quota: 1, reason: null, seatsInUse: 0 })
      .thenThrows('program.closed');
    given([established, closed])
      .when({ ...by, type: 'CloseProgram', closedOn: '2026-12-01', reason: null })
      .thenThrows('program.closed');
  });

  it('an unknown program is not found', () =>
    given([])
      .when({ ...by, type: 'CloseProgram', closedOn: '2026-12-01', reason: null })
      .thenThrows('program.notFound'));

  describe('effective dates', () => {
    it('a period change takes effect on the first day it changes', () => {
      expect(
        periodChangeEffective(
          { from: '2026-10-01', to: '2026-12-31' },
          { from: '2026-09-01', to: '2026-12-31' },
        ),
      ).toBe('2026-09-01');
      expect(
        periodChangeEffective(
          { from: '2026-10-01', to: '2026-12-31' },
          { from: '2026-10-01', to: '2026-11-30' },
        ),
      ).toBe('2026-12-01');
      expect(
        periodChangeEffective(
          { from: '2026-10-01', to: '2026-12-31' },
          { from: '2026-10-01', to: '2026-12-31' },
        ),
      ).toBeNull();
    });

    it('moving the start back beyond the tolerance is a backfill, with its reason in the event', () => {
      const period = { from: '2026-09-01', to: '2026-12-31' };
      given([established])
        .when({ ...by, type: 'AmendProgramPeriod', period, reason: null })
        .thenThrows('backfill.reasonRequired');
      given([established])
        .when({
          ...by,
          type: 'AmendProgramPeriod',
          period,
          reason: null,
          backfill: { reason: 'correction', note: null },
        })
        .then([
          {
            type: 'ProgramPeriodAmended',
            data: { programId: 'p1', period, reason: null, backfill: { reason: 'correction', note: null } },
          },
        ]);
    });

    it('a closing day long past is a backfill; a finance officer may not record it', () => {
      given([established])
        .when({ ...by, type: 'CloseProgram', closedOn: '2026-10-01', reason: null })
        .thenThrows('backfill.reasonRequired');
      given([established])
        .when({
          ...by,
          role: 'finance',
          type: 'CloseProgram',
          closedOn: '2026-10-01',
          reason: null,
          backfill: { reason: 'late_report', note: null },
        })
        .thenThrows('backfill.forbidden', 'forbidden');
      given([established])
        .when({ ...by, type: 'CloseProgram', closedOn: '2026-10-14', reason: null })
        .then([{ type: 'ProgramClosed', data: { programId: 'p1', closedOn: '2026-10-14', reason: null } }]);
    });

    it('the tolerance is amendable, and the next decision uses it', () => {
      const widened: ProgramEvent = {
        type: 'ProgramBackfillToleranceAmended',
        data: { programId: 'p1', backfillToleranceDays: 60, reason: 'migrasi' },
      };
      given([established])
        .when({ ...by, type: 'AmendBackfillTolerance', backfillToleranceDays: 60, reason: 'migrasi' })
        .then([widened]);
      given([established, widened])
        .when({ ...by, type: 'CloseProgram', closedOn: '2026-10-01', reason: null })
        .then([{ type: 'ProgramClosed', data: { programId: 'p1', closedOn: '2026-10-01', reason: null } }]);
    });

    it('the JKK reporting window is amendable within its bounds, and the terms carry it', () => {
      const shortened: ProgramEvent = {
        type: 'ProgramJkkReportingWindowAmended',
        data: { programId: 'p1', jkkReportingWindowDays: 14, reason: 'Perbup 2026' },
      };
      given([established])
        .when({ ...by, type: 'AmendJkkReportingWindow', jkkReportingWindowDays: 14, reason: 'Perbup 2026' })
        .then([shortened]);
      given([established])
        .when({ ...by, type: 'AmendJkkReportingWindow', jkkReportingWindowDays: 0, reason: null })
        .thenThrows('program.jkkReportingWindowDays', 'unprocessable');
      const state = stateOf([established, shortened]);
      expect(state.status !== 'none' && state.terms.jkkReportingWindowDays).toBe(14);
    });
  });
});
