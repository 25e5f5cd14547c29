import type { Occupation } from '../shared/occupations';
import type { BackfillMarker } from '../shared/backfill';
import type { IsoDate } from '../shared/dates';
import type { BenefitPackage, ContributionBreakdown } from './contribution';
import type { MonthRule } from '../contributions/obligation';

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
  /**
   * How many days before today a fact may take effect without being a backfill (see
   * shared/backfill.ts). Absent in events written before it existed: the default then.
   */
  backfillToleranceDays: number;
  /**
   * Which months a coverage that starts or ends inside one owes (see contributions/obligation.ts).
   * Absent in events written before it existed: `any_day` then.
   */
  monthRule?: MonthRule;
  /**
   * Days after a work accident within which it must be reported for a JKK claim to be
   * eligible. Absent in events written before it existed: the default then.
   */
  jkkReportingWindowDays?: number;
}

/** DOMAIN gives no national figure for the JKK reporting window: programs start from this. */
export const DEFAULT_JKK_REPORTING_WINDOW_DAYS = 30;
export const MAX_JKK_REPORTING_WINDOW_DAYS = 3660;

/** Present on an event recorded as a backfill (an effective date before today − tolerance). */
export interface Backfilled {
  backfill?: BackfillMarker;
}

export type ProgramEvent =
  | { type: 'ProgramEstablished'; data: { programId: string } & ProgramTerms & Backfilled }
  | { type: 'ProgramQuotaAmended'; data: { programId: string; quota: number; reason: string | null } }
  | {
      type: 'ProgramPeriodAmended';
      data: { programId: string; period: Period; reason: string | null } & Backfilled;
    }
  | {
      type: 'ProgramClosed';
      data: { programId: string; closedOn: IsoDate; reason: string | null } & Backfilled;
    }
  | {
      type: 'ProgramBackfillToleranceAmended';
      data: { programId: string; backfillToleranceDays: number; reason: string | null };
    }
  | {
      type: 'ProgramJkkReportingWindowAmended';
      data: { programId: string; jkkReportingWindowDays: number; reason: string | null };
    };
