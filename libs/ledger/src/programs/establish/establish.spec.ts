import { specFor } from '../../shared/decider-spec';
import { monthlyContribution } from '../contribution';
import { established, terms } from '../program.examples';
import type { ProgramEvent } from '../program.events';
import { initialProgramState, evolveProgram } from '../program.state';
import { checkOwnerRegion, decideEstablish } from './establish.decider';

const given = specFor({ initialState: initialProgramState, evolve: evolveProgram, decide: decideEstablish });
/** Established by an admin on a day before the example's period starts. */
const by = { today: '2026-09-01', role: 'program_admin' };

describe('contributions', () => {
  it('JKK 1% + JKM Rp6,800 = Rp16,800 at the lowest income; with JHT 2% Rp36,800', () => {
    expect(monthlyContribution('JKK_JKM', 1_000_000)).toEqual({
      jkk: 10_000,
      jkm: 6_800,
      jht: 0,
      total: 16_800,
    });
    expect(monthlyContribution('JKK_JKM_JHT', 1_000_000).total).toBe(36_800);
    expect(monthlyContribution('JKK_JKM_JHT', 2_500_000)).toEqual({
      jkk: 25_000,
      jkm: 6_800,
      jht: 50_000,
      total: 81_800,
    });
  });
});

describe('establishing a program', () => {
  it('sets the JKK reporting window: 30 days when not said, whole days from 1 to 3660 otherwise', () => {
    given([])
      .when({
        ...by,
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, jkkReportingWindowDays: 14 },
      })
      .then([{ ...established, data: { ...established.data, jkkReportingWindowDays: 14 } } as ProgramEvent]);
    for (const jkkReportingWindowDays of [0, 3661, 2.5])
      given([])
        .when({
          ...by,
          type: 'EstablishProgram',
          programId: 'p1',
          terms: { ...terms, jkkReportingWindowDays },
        })
        .thenThrows('program.jkkReportingWindowDays', 'unprocessable');
  });

  it('establishes a program with its computed contribution', () =>
    given([])
      .when({ ...by, type: 'EstablishProgram', programId: 'p1', terms })
      .then([established]));

  it('states which months a coverage owes: one of the month rules, any_day when not said', () => {
    given([])
      .when({ ...by, type: 'EstablishProgram', programId: 'p1', terms: { ...terms, monthRule: 'first_day' } })
      .then([{ ...established, data: { ...established.data, monthRule: 'first_day' } } as ProgramEvent]);
    given([])
      .when({
        ...by,
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, monthRule: 'some_days' as never },
      })
      .thenThrows('program.monthRule', 'unprocessable');
  });

  it('refuses a declared income below Rp1,000,000', () =>
    given([])
      .when({
        ...by,
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, declaredIncome: 900_000 },
      })
      .thenThrows('program.declaredIncome.min'));

  it('refuses a period that ends before it starts', () =>
    given([])
      .when({
        ...by,
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, period: { from: '2026-12-01', to: '2026-01-01' } },
      })
      .thenThrows('program.period.order'));

  it('refuses a quota the budget ceiling cannot pay for', () =>
    given([])
      // 100 workers × Rp16,800 × 3 months = Rp5,040,000
      .when({
        ...by,
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, quota: 100, budgetCeiling: 5_039_999 },
      })
      .thenThrows('program.budget'));

  it('accepts a budget that exactly pays the quota', () =>
    given([])
      .when({
        ...by,
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, quota: 100, budgetCeiling: 5_040_000 },
      })
      .then([
        { ...established, data: { ...established.data, quota: 100, budgetCeiling: 5_040_000 } },
      ] as ProgramEvent[]));

  it('refuses establishing twice', () =>
    given([established])
      .when({ ...by, type: 'EstablishProgram', programId: 'p1', terms })
      .thenThrows('program.exists'));

  it('belongs to a province, a regency or a village the directory knows, never a district', () => {
    expect(() => checkOwnerRegion(true, 'regency')).not.toThrow();
    expect(() => checkOwnerRegion(true, 'village')).not.toThrow();
    expect(() => checkOwnerRegion(true, 'district')).toThrow(
      expect.objectContaining({ rule: 'program.ownerRegion', kind: 'unprocessable' }),
    );
    expect(() => checkOwnerRegion(false, undefined)).toThrow(
      expect.objectContaining({ rule: 'program.ownerRegion' }),
    );
  });

  describe('a program whose period started before today − tolerance is a backfill', () => {
    const past = { ...terms, period: { from: '2025-10-01', to: '2025-12-31' } };
    const now = { today: '2026-12-01', role: 'program_admin' };

    it('needs a reason, and records it in the event', () => {
      given([])
        .when({ ...now, type: 'EstablishProgram', programId: 'p1', terms: past })
        .thenThrows('backfill.reasonRequired', 'unprocessable');
      given([])
        .when({
          ...now,
          type: 'EstablishProgram',
          programId: 'p1',
          terms: past,
          backfill: { reason: 'migration', note: 'Program 2025' },
        })
        .then([
          {
            ...established,
            data: {
              ...established.data,
              period: past.period,
              backfill: { reason: 'migration', note: 'Program 2025' },
            },
          },
        ] as ProgramEvent[]);
    });

    it('only by a program admin', () =>
      given([])
        .when({
          ...now,
          role: 'village_operator',
          type: 'EstablishProgram',
          programId: 'p1',
          terms: past,
          backfill: { reason: 'migration', note: null },
        })
        .thenThrows('backfill.forbidden', 'forbidden'));

    it('within the tolerance given at establishment it is none', () =>
      given([])
        .when({
          ...now,
          type: 'EstablishProgram',
          programId: 'p1',
          terms: { ...past, backfillToleranceDays: 500 },
        })
        .then([
          { ...established, data: { ...established.data, period: past.period, backfillToleranceDays: 500 } },
        ] as ProgramEvent[]));
  });
});
