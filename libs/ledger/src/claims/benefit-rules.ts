import type { IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import type { BenefitLine, ClaimBenefit, ClaimKind } from './claim.events';

/**
 * One row of the benefit table: a component of a benefit, a fixed amount or a multiple of the
 * declared monthly income, the regulation it comes from and the day it applies from. A change
 * of regulation is a new row with a later `from`: claims whose event falls before it keep the
 * older row.
 */
export interface BenefitRule {
  kind: ClaimKind;
  benefit: ClaimBenefit;
  component: string;
  from: IsoDate;
  regulation: string;
  amount?: number;
  incomeMultiple?: number;
}

const PP_82_2019 = 'PP 82/2019 (perubahan PP 44/2015)';
const PP_82_FROM = '2019-12-02';

export const BENEFIT_RULES: readonly BenefitRule[] = [
  {
    kind: 'JKM',
    benefit: 'death',
    component: 'lump_sum',
    amount: 20_000_000,
    regulation: PP_82_2019,
    from: PP_82_FROM,
  },
  {
    kind: 'JKM',
    benefit: 'death',
    component: 'periodic',
    amount: 12_000_000,
    regulation: PP_82_2019,
    from: PP_82_FROM,
  },
  {
    kind: 'JKM',
    benefit: 'death',
    component: 'funeral',
    amount: 10_000_000,
    regulation: PP_82_2019,
    from: PP_82_FROM,
  },
  {
    kind: 'JKK',
    benefit: 'death',
    component: 'lump_sum',
    incomeMultiple: 48,
    regulation: PP_82_2019,
    from: PP_82_FROM,
  },
  {
    kind: 'JKK',
    benefit: 'death',
    component: 'periodic',
    amount: 12_000_000,
    regulation: PP_82_2019,
    from: PP_82_FROM,
  },
  {
    kind: 'JKK',
    benefit: 'death',
    component: 'funeral',
    amount: 10_000_000,
    regulation: PP_82_2019,
    from: PP_82_FROM,
  },
];

/** Months of contributions after which up to two children receive the education benefit. */
export const EDUCATION_MIN_MONTHS = 36;
export const EDUCATION_MAX_CHILDREN = 2;

/**
 * The benefit lines for an event on `eventDate`: for each component the latest row in force
 * that day. JKK medical care and incapacity are what BPJS approved (`approvedAmount`); they
 * have no row. Null when the table holds no row for the benefit (an amount must be given).
 */
export function benefitLines(
  kind: ClaimKind,
  benefit: ClaimBenefit,
  eventDate: IsoDate,
  declaredIncome: number,
  rules: readonly BenefitRule[] = BENEFIT_RULES,
): BenefitLine[] | null {
  const latest = new Map<string, BenefitRule>();
  for (const rule of rules) {
    if (rule.kind !== kind || rule.benefit !== benefit || rule.from > eventDate) continue;
    const seen = latest.get(rule.component);
    if (!seen || seen.from < rule.from) latest.set(rule.component, rule);
  }
  if (latest.size === 0) return null;
  return [...latest.values()].map((rule) => ({
    component: rule.component,
    amount: rule.amount ?? (rule.incomeMultiple ?? 0) * declaredIncome,
    regulation: `${rule.regulation}, berlaku ${rule.from}`,
  }));
}

/**
 * Children entitled to the education benefit: at most two of the child heirs of a JKM death,
 * once the worker contributed at least 36 months (paid months across all their enrollments,
 * counted by the approval's handler).
 */
export function educationChildren(
  kind: ClaimKind,
  benefit: ClaimBenefit,
  contributedMonths: number,
  childHeirs: number,
): number {
  if (kind !== 'JKM' || benefit !== 'death') return 0;
  if (contributedMonths < EDUCATION_MIN_MONTHS) return 0;
  return Math.min(EDUCATION_MAX_CHILDREN, childHeirs);
}

/** The approved lines: from the table, or the one amount BPJS approved when the table has none. */
export function approvedLines(
  kind: ClaimKind,
  benefit: ClaimBenefit,
  eventDate: IsoDate,
  declaredIncome: number,
  approvedAmount: number | null,
): BenefitLine[] {
  const lines = benefitLines(kind, benefit, eventDate, declaredIncome);
  if (lines) return lines;
  if (approvedAmount === null || !Number.isSafeInteger(approvedAmount) || approvedAmount <= 0) {
    throw new RuleViolation(
      'claim.approvedAmount',
      'Jumlah yang disetujui BPJS wajib diisi, rupiah bulat lebih dari nol',
      'unprocessable',
      { field: 'approvedAmount' },
      [
        {
          field: 'approvedAmount',
          rule: 'claim.approvedAmount',
          message: 'Jumlah yang disetujui BPJS wajib diisi',
        },
      ],
    );
  }
  return [
    { component: 'approved_by_bpjs', amount: approvedAmount, regulation: 'Persetujuan BPJS Ketenagakerjaan' },
  ];
}
