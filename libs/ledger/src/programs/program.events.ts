import type { Occupation } from '../shared/occupations';
import type { IsoDate } from '../shared/dates';
import type { BenefitPackage, ContributionBreakdown } from './contribution';

export type FundingSource = 'APBD' | 'APBD_P' | 'APBDES' | 'DANA_DESA' | 'DBHCHT' | 'OTHER';
export const FUNDING_SOURCES: readonly FundingSource[] = [
  'APBD',
  'APBD_P',
  'APBDES',
  'DANA_DESA',
  'DBHCHT',
  'OTHER',
];

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

export interface ProgramTerms {
  name: string;
  /** Province, regency/city or village code. */
  ownerRegion: string;
  payer: string;
  fundingSource: FundingSource;
  benefitPackage: BenefitPackage;
  declaredIncome: number;
  contribution: ContributionBreakdown;
  period: Period;
  quota: number;
  ageCap: number;
  eligibleOccupations: Occupation[] | null;
  budgetCeiling: number | null;
}

export type ProgramEvent =
  | { type: 'ProgramEstablished'; data: { programId: string } & ProgramTerms }
  | { type: 'ProgramQuotaAmended'; data: { programId: string; quota: number; reason: string | null } }
  | { type: 'ProgramPeriodAmended'; data: { programId: string; period: Period; reason: string | null } }
  | { type: 'ProgramClosed'; data: { programId: string; closedOn: IsoDate; reason: string | null } };
