import { DEFAULT_BACKFILL_TOLERANCE_DAYS } from '../shared/backfill';
import { monthsTouched, type IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import {
  DEFAULT_JKK_REPORTING_WINDOW_DAYS,
  MAX_JKK_REPORTING_WINDOW_DAYS,
  type Period,
  type ProgramEvent,
  type ProgramTerms,
} from './program.events';

export type ProgramState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; programId: string; terms: ProgramTerms; closedOn: IsoDate | null };

/** A program that exists, open or closed. */
export type ExistingProgram = Extract<ProgramState, { status: 'open' | 'closed' }>;

export const initialProgramState = (): ProgramState => ({ status: 'none' });

export function evolveProgram(state: ProgramState, event: ProgramEvent): ProgramState {
  switch (event.type) {
    case 'ProgramEstablished': {
      const { programId, backfill: _backfill, ...terms } = event.data;
      return {
        status: 'open',
        programId,
        terms: {
          ...terms,
          backfillToleranceDays: terms.backfillToleranceDays ?? DEFAULT_BACKFILL_TOLERANCE_DAYS,
        },
        closedOn: null,
      };
    }
    case 'ProgramQuotaAmended':
      return state.status === 'none'
        ? state
        : { ...state, terms: { ...state.terms, quota: event.data.quota } };
    case 'ProgramPeriodAmended':
      return state.status === 'none'
        ? state
        : { ...state, terms: { ...state.terms, period: event.data.period } };
    case 'ProgramClosed':
      return state.status === 'none' ? state : { ...state, status: 'closed', closedOn: event.data.closedOn };
    case 'ProgramBackfillToleranceAmended':
      return state.status === 'none'
        ? state
        : { ...state, terms: { ...state.terms, backfillToleranceDays: event.data.backfillToleranceDays } };
    case 'ProgramJkkReportingWindowAmended':
      return state.status === 'none'
        ? state
        : { ...state, terms: { ...state.terms, jkkReportingWindowDays: event.data.jkkReportingWindowDays } };
  }
}

/** The terms as asked: the contribution is computed, the backfill tolerance has a default. */
export type ProgramTermsInput = Omit<ProgramTerms, 'contribution' | 'backfillToleranceDays'> & {
  backfillToleranceDays?: number;
};

/** The JKK reporting window: whole days, at least one, at most ten years. */
export function checkJkkReportingWindow(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_JKK_REPORTING_WINDOW_DAYS) {
    throw new RuleViolation(
      'program.jkkReportingWindowDays',
      `Batas waktu pelaporan kecelakaan kerja harus bilangan bulat 1–${MAX_JKK_REPORTING_WINDOW_DAYS} hari`,
      'unprocessable',
      { field: 'jkkReportingWindowDays' },
      [
        {
          field: 'jkkReportingWindowDays',
          rule: 'program.jkkReportingWindowDays',
          message: 'Batas waktu pelaporan kecelakaan kerja harus 1–3660 hari',
        },
      ],
    );
  }
}

/** The window a program's JKK claims are judged by (the default for programs set up before it). */
export const jkkReportingWindowOf = (terms: ProgramTerms): number =>
  terms.jkkReportingWindowDays ?? DEFAULT_JKK_REPORTING_WINDOW_DAYS;

export function checkPeriod(period: Period): void {
  if (period.from > period.to) {
    throw new RuleViolation(
      'program.period.order',
      'Tanggal mulai periode harus sebelum atau sama dengan tanggal akhir',
    );
  }
}

/** A budget ceiling must cover a full quota paying the package for every month of the period. */
export function checkBudget(terms: ProgramTerms): void {
  if (terms.budgetCeiling === null) return;
  const needed = terms.quota * terms.contribution.total * monthsTouched(terms.period.from, terms.period.to);
  if (needed > terms.budgetCeiling) {
    throw new RuleViolation(
      'program.budget',
      `Kuota × iuran × bulan (Rp${needed.toLocaleString('id-ID')}) melebihi pagu anggaran (Rp${terms.budgetCeiling.toLocaleString('id-ID')})`,
      'unprocessable',
      { needed, budgetCeiling: terms.budgetCeiling },
    );
  }
}

export function requireProgram(state: ProgramState): ExistingProgram {
  if (state.status === 'none')
    throw new RuleViolation('program.notFound', 'Program tidak ditemukan', 'not_found');
  return state;
}

export function requireOpen(state: ProgramState): ExistingProgram {
  const program = requireProgram(state);
  if (program.status === 'closed')
    throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
  return program;
}
