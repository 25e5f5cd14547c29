/**
 * BPU contributions (PP 44/2015 as amended; Permenaker 5/2021), in whole rupiah:
 * JKK 1% of declared monthly income, JKM a flat Rp6,800, JHT (optional) 2%.
 * At the lowest declared income, Rp1,000,000: Rp16,800 (JKK+JKM) or Rp36,800 (with JHT).
 */
export type BenefitPackage = 'JKK_JKM' | 'JKK_JKM_JHT';
export const BENEFIT_PACKAGES: readonly BenefitPackage[] = ['JKK_JKM', 'JKK_JKM_JHT'];

export const MIN_DECLARED_INCOME = 1_000_000;
export const JKM_FLAT = 6_800;

export interface ContributionBreakdown {
  jkk: number;
  jkm: number;
  jht: number;
  total: number;
}

export function monthlyContribution(pkg: BenefitPackage, declaredIncome: number): ContributionBreakdown {
  const jkk = Math.round(declaredIncome * 0.01);
  const jht = pkg === 'JKK_JKM_JHT' ? Math.round(declaredIncome * 0.02) : 0;
  return { jkk, jkm: JKM_FLAT, jht, total: jkk + JKM_FLAT + jht };
}
