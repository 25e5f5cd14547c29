import type { ProgramEvent } from './program.events';
import type { ProgramTermsInput } from './program.state';

/** A regency's program, as the programs' specs start from it. */
export const terms: ProgramTermsInput = {
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
export const established: ProgramEvent = {
  type: 'ProgramEstablished',
  data: {
    programId: 'p1',
    ...terms,
    contribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
    backfillToleranceDays: 7,
    jkkReportingWindowDays: 30,
  },
};
