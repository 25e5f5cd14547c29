import type { RecordedEvent } from '@ledger/event-store';
import { DEFAULT_JKK_REPORTING_WINDOW_DAYS, type ProgramEvent } from '@ledger/ledger/programs/program.events';
import type { SeatsEvent } from '@ledger/ledger/enrollment/enrollment.events';
import { DEFAULT_MONTH_RULE } from '@ledger/ledger/contributions/obligation';
import type { Columns } from '../columns';
import type { RowProjection } from '../runner/projection';

export interface ProgramRow extends Record<string, unknown> {
  id: string;
  name: string;
  owner_region: string;
  payer: string;
  funding_source: string;
  benefit_package: string;
  declared_income: number;
  monthly_contribution: number;
  contribution: { jkk: number; jkm: number; jht: number; total: number };
  period_from: string;
  period_to: string;
  quota: number;
  age_cap: number;
  eligible_occupations: string[] | null;
  budget_ceiling: number | null;
  /** Which months a coverage starting or ending inside one owes (contributions/obligation.ts). */
  month_rule: string;
  /** Days after a work accident within which a JKK claim must be reported. */
  jkk_reporting_window_days: number;
  status: 'open' | 'closed';
  closed_on: string | null;
  seats_in_use: number;
  established_at: string;
}

/** A programs row as read back: the JSON columns are stored as text. */
export type StoredProgramRow = Omit<Columns<ProgramRow>, 'contribution' | 'eligible_occupations'> & {
  contribution: string;
  eligible_occupations: string | null;
};

export const programsProjection: RowProjection<ProgramRow> = {
  kind: 'rows',
  name: 'programs',
  version: 3,
  handles: [
    'ProgramEstablished',
    'ProgramQuotaAmended',
    'ProgramPeriodAmended',
    'ProgramClosed',
    'ProgramJkkReportingWindowAmended',
    'SeatsTaken',
    'SeatsReleased',
  ],
  table: {
    name: 'programs',
    columns: {
      id: { type: 'text' },
      name: { type: 'text' },
      owner_region: { type: 'text' },
      payer: { type: 'text' },
      funding_source: { type: 'text' },
      benefit_package: { type: 'text' },
      declared_income: { type: 'integer' },
      monthly_contribution: { type: 'integer' },
      contribution: { type: 'json' },
      period_from: { type: 'text' },
      period_to: { type: 'text' },
      quota: { type: 'integer' },
      age_cap: { type: 'integer' },
      eligible_occupations: { type: 'json', nullable: true },
      budget_ceiling: { type: 'integer', nullable: true },
      month_rule: { type: 'text' },
      jkk_reporting_window_days: { type: 'integer' },
      status: { type: 'text' },
      closed_on: { type: 'text', nullable: true },
      seats_in_use: { type: 'integer' },
      established_at: { type: 'text' },
    },
    primaryKey: ['id'],
    indexes: [['owner_region']],
  },
  keyOf: (event) => (event.data as { programId: string }).programId,
  evolve(row, recorded: RecordedEvent) {
    const event = recorded as unknown as ProgramEvent | SeatsEvent;
    if (event.type === 'ProgramEstablished') {
      const d = event.data;
      return {
        id: d.programId,
        name: d.name,
        owner_region: d.ownerRegion,
        payer: d.payer,
        funding_source: d.fundingSource,
        benefit_package: d.benefitPackage,
        declared_income: d.declaredIncome,
        monthly_contribution: d.contribution.total,
        contribution: d.contribution,
        period_from: d.period.from,
        period_to: d.period.to,
        quota: d.quota,
        age_cap: d.ageCap,
        eligible_occupations: d.eligibleOccupations,
        budget_ceiling: d.budgetCeiling,
        month_rule: d.monthRule ?? DEFAULT_MONTH_RULE,
        jkk_reporting_window_days: d.jkkReportingWindowDays ?? DEFAULT_JKK_REPORTING_WINDOW_DAYS,
        status: 'open',
        closed_on: null,
        seats_in_use: row?.seats_in_use ?? 0,
        established_at: recorded.metadata.occurredAt,
      };
    }
    if (!row) return null;
    switch (event.type) {
      case 'ProgramQuotaAmended':
        return { ...row, quota: event.data.quota };
      case 'ProgramPeriodAmended':
        return { ...row, period_from: event.data.period.from, period_to: event.data.period.to };
      case 'ProgramClosed':
        return { ...row, status: 'closed', closed_on: event.data.closedOn };
      case 'ProgramJkkReportingWindowAmended':
        return { ...row, jkk_reporting_window_days: event.data.jkkReportingWindowDays };
      // Not handled: the tolerance is no column of this table (listed so that every event is).
      case 'ProgramBackfillToleranceAmended':
        return row;
      case 'SeatsTaken':
      case 'SeatsReleased':
      // Not handled (they leave the count as it is), listed so that every seats event is.
      case 'SeatsCovered':
      case 'SeatTermsChanged':
      case 'SeatsRelied':
        return { ...row, seats_in_use: event.data.inUse };
    }
  },
};
