import { DEFAULT_BACKFILL_TOLERANCE_DAYS } from '../shared/backfill';
import { monthsTouched, type IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import type { Period, ProgramEvent, ProgramTerms } from './program.events';

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
  }
}

/** The terms as asked: the contribution is computed, the backfill tolerance has a default. */
export type ProgramTermsInput = Omit<ProgramTerms, 'contribution' | 'backfillToleranceDays'> & {
  backfillToleranceDays?: number;
};

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
