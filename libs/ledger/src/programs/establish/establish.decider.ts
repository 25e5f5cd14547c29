import type { RegionLevel } from '../../regions/region-directory';
import {
  backfillField,
  decideBackfill,
  DEFAULT_BACKFILL_TOLERANCE_DAYS,
  type BackfillRequest,
} from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { MONTH_RULES } from '../../contributions/obligation';
import { monthlyContribution, MIN_DECLARED_INCOME } from '../contribution';
import { DEFAULT_JKK_REPORTING_WINDOW_DAYS, type ProgramEvent, type ProgramTerms } from '../program.events';
import {
  checkBudget,
  checkJkkReportingWindow,
  checkPeriod,
  type ProgramState,
  type ProgramTermsInput,
} from '../program.state';

export interface EstablishProgram {
  type: 'EstablishProgram';
  programId: string;
  terms: ProgramTermsInput;
  /** The recording day: a period that started before today − tolerance is a backfill. */
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
}

/**
 * A program belongs to a province, a regency or city, or a village the directory knows: never
 * to a district. Checked before the caller's scope, so an unknown owner is a 422, not a 403.
 */
export function checkOwnerRegion(known: boolean, level: RegionLevel | undefined): void {
  if (!known || level === 'district') {
    throw new RuleViolation(
      'program.ownerRegion',
      'Pemilik program harus provinsi, kabupaten/kota, atau desa yang terdaftar',
      'unprocessable',
    );
  }
}

export function decideEstablish(command: EstablishProgram, state: ProgramState): ProgramEvent[] {
  if (state.status !== 'none') throw new RuleViolation('program.exists', 'Program sudah ada', 'conflict');
  const input = command.terms;
  if (input.declaredIncome < MIN_DECLARED_INCOME) {
    throw new RuleViolation('program.declaredIncome.min', 'Penghasilan yang dilaporkan minimal Rp1.000.000');
  }
  if (input.monthRule !== undefined && !MONTH_RULES.includes(input.monthRule)) {
    throw new RuleViolation(
      'program.monthRule',
      `Aturan bulan iuran harus salah satu dari: ${MONTH_RULES.join(', ')}`,
      'unprocessable',
      { field: 'monthRule' },
    );
  }
  if (input.jkkReportingWindowDays !== undefined) checkJkkReportingWindow(input.jkkReportingWindowDays);
  const terms: ProgramTerms = {
    ...input,
    jkkReportingWindowDays: input.jkkReportingWindowDays ?? DEFAULT_JKK_REPORTING_WINDOW_DAYS,
    contribution: monthlyContribution(input.benefitPackage, input.declaredIncome),
    backfillToleranceDays: input.backfillToleranceDays ?? DEFAULT_BACKFILL_TOLERANCE_DAYS,
  };
  checkPeriod(terms.period);
  checkBudget(terms);
  // A program whose period has already run for longer than its tolerance is a past fact.
  const marker = decideBackfill({
    effectiveDates: [terms.period.from],
    today: command.today,
    toleranceDays: terms.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
  });
  return [
    {
      type: 'ProgramEstablished',
      data: { programId: command.programId, ...terms, ...backfillField(marker) },
    },
  ];
}
