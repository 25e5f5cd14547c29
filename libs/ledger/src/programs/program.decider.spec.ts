import { specFor } from '../shared/decider-spec';
import { monthlyContribution } from './contribution';
import { decideProgram, evolveProgram, initialProgramState, type ProgramTermsInput } from './program.decider';
import type { ProgramEvent } from './program.events';

const given = specFor({ initialState: initialProgramState, evolve: evolveProgram, decide: decideProgram });

const terms: ProgramTermsInput = {
  name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
  ownerRegion: '1603',
  payer: 'Pemerintah Kabupaten Muara Enim',
  fundingSource: 'APBD',
  benefitPackage: 'JKK_JKM',
  declaredIncome: 1_000_000,
  period: { from: '2026-10-01', to: '2026-12-31' },
  quota: 26_775,
  ageCap: 65,
  eligibleOccupations: null,
  budgetCeiling: null,
};
const established: ProgramEvent = {
  type: 'ProgramEstablished',
  data: { programId: 'p1', ...terms, contribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 } },
};

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

describe('program decider', () => {
  it('establishes a program with its computed contribution', () =>
    given([]).when({ type: 'EstablishProgram', programId: 'p1', terms }).then([established]));

  it('refuses a declared income below Rp1,000,000', () =>
    given([])
      .when({ type: 'EstablishProgram', programId: 'p1', terms: { ...terms, declaredIncome: 900_000 } })
      .thenThrows('program.declaredIncome.min'));

  it('refuses a period that ends before it starts', () =>
    given([])
      .when({
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, period: { from: '2026-12-01', to: '2026-01-01' } },
      })
      .thenThrows('program.period.order'));

  it('refuses a quota the budget ceiling cannot pay for', () =>
    given([])
      // 100 workers × Rp16,800 × 3 months = Rp5,040,000
      .when({
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, quota: 100, budgetCeiling: 5_039_999 },
      })
      .thenThrows('program.budget'));

  it('accepts a budget that exactly pays the quota', () =>
    given([])
      .when({
        type: 'EstablishProgram',
        programId: 'p1',
        terms: { ...terms, quota: 100, budgetCeiling: 5_040_000 },
      })
      .then([
        { ...established, data: { ...established.data, quota: 100, budgetCeiling: 5_040_000 } },
      ] as ProgramEvent[]));

  it('refuses establishing twice', () =>
    given([established])
      .when({ type: 'EstablishProgram', programId: 'p1', terms })
      .thenThrows('program.exists'));

  it('amends the quota, never below the seats in use', () => {
    given([established])
      .when({ type: 'AmendProgramQuota', quota: 30_000, reason: 'APBD-P', seatsInUse: 26_000 })
      .then([{ type: 'ProgramQuotaAmended', data: { programId: 'p1', quota: 30_000, reason: 'APBD-P' } }]);
    given([established])
      .when({ type: 'AmendProgramQuota', quota: 10, reason: null, seatsInUse: 11 })
      .thenThrows('program.quota.belowUse');
  });

  it('amends the period', () =>
    given([established])
      .when({ type: 'AmendProgramPeriod', period: { from: '2026-10-01', to: '2027-03-31' }, reason: null })
      .then([
        {
          type: 'ProgramPeriodAmended',
          data: { programId: 'p1', period: { from: '2026-10-01', to: '2027-03-31' }, reason: null },
        },
      ]));

  it('a closed program accepts nothing', () => {
    const closed: ProgramEvent = {
      type: 'ProgramClosed',
      data: { programId: 'p1', closedOn: '2026-11-30', reason: null },
    };
    given([established, closed])
      .when({ type: 'AmendProgramQuota', quota: 1, reason: null, seatsInUse: 0 })
      .thenThrows('program.closed');
    given([established, closed])
      .when({ type: 'CloseProgram', closedOn: '2026-12-01', reason: null })
      .thenThrows('program.closed');
  });

  it('an unknown program is not found', () =>
    given([])
      .when({ type: 'CloseProgram', closedOn: '2026-12-01', reason: null })
      .thenThrows('program.notFound'));
});
