import { RuleViolation } from '../shared/rule-violation';
import { monthsTouched, type IsoDate } from '../shared/dates';
import { monthlyContribution, MIN_DECLARED_INCOME } from './contribution';
import type { Period, ProgramEvent, ProgramTerms } from './program.events';

export type ProgramState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; programId: string; terms: ProgramTerms; closedOn: IsoDate | null };

export const initialProgramState = (): ProgramState => ({ status: 'none' });

export function evolveProgram(state: ProgramState, event: ProgramEvent): ProgramState {
  switch (event.type) {
    case 'ProgramEstablished': {
      const { programId, ...terms } = event.data;
      return { status: 'open', programId, terms, closedOn: null };
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
  }
}

export type ProgramTermsInput = Omit<ProgramTerms, 'contribution'>;

export type ProgramCommand =
  | { type: 'EstablishProgram'; programId: string; terms: ProgramTermsInput }
  | { type: 'AmendProgramQuota'; quota: number; reason: string | null; seatsInUse: number }
  | { type: 'AmendProgramPeriod'; period: Period; reason: string | null }
  | { type: 'CloseProgram'; closedOn: IsoDate; reason: string | null };

function checkPeriod(period: Period): void {
  if (period.from > period.to) {
    throw new RuleViolation(
      'program.period.order',
      'Tanggal mulai periode harus sebelum atau sama dengan tanggal akhir',
    );
  }
}

/** A budget ceiling must cover a full quota paying the package for every month of the period. */
function checkBudget(terms: ProgramTerms): void {
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

function requireOpen(state: ProgramState): Extract<ProgramState, { status: 'open' | 'closed' }> {
  if (state.status === 'none')
    throw new RuleViolation('program.notFound', 'Program tidak ditemukan', 'not_found');
  if (state.status === 'closed')
    throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
  return state;
}

export function decideProgram(command: ProgramCommand, state: ProgramState): ProgramEvent[] {
  switch (command.type) {
    case 'EstablishProgram': {
      if (state.status !== 'none') throw new RuleViolation('program.exists', 'Program sudah ada', 'conflict');
      const input = command.terms;
      if (input.declaredIncome < MIN_DECLARED_INCOME) {
        throw new RuleViolation(
          'program.declaredIncome.min',
          'Penghasilan yang dilaporkan minimal Rp1.000.000',
        );
      }
      const terms: ProgramTerms = {
        ...input,
        contribution: monthlyContribution(input.benefitPackage, input.declaredIncome),
      };
      checkPeriod(terms.period);
      checkBudget(terms);
      return [{ type: 'ProgramEstablished', data: { programId: command.programId, ...terms } }];
    }
    case 'AmendProgramQuota': {
      const open = requireOpen(state);
      if (command.quota < command.seatsInUse) {
        throw new RuleViolation(
          'program.quota.belowUse',
          `Kuota baru (${command.quota}) lebih kecil dari jumlah peserta yang sudah diusulkan/aktif (${command.seatsInUse})`,
          'conflict',
          { seatsInUse: command.seatsInUse },
        );
      }
      checkBudget({ ...open.terms, quota: command.quota });
      return [
        {
          type: 'ProgramQuotaAmended',
          data: { programId: open.programId, quota: command.quota, reason: command.reason },
        },
      ];
    }
    case 'AmendProgramPeriod': {
      const open = requireOpen(state);
      checkPeriod(command.period);
      checkBudget({ ...open.terms, period: command.period });
      return [
        {
          type: 'ProgramPeriodAmended',
          data: { programId: open.programId, period: command.period, reason: command.reason },
        },
      ];
    }
    case 'CloseProgram': {
      const open = requireOpen(state);
      return [
        {
          type: 'ProgramClosed',
          data: { programId: open.programId, closedOn: command.closedOn, reason: command.reason },
        },
      ];
    }
  }
}
