/**
 * Percentage with two decimals; null when there is no denominator. Rounding never reaches a
 * bound the counts have not: 99,999 of 100,000 seats is 99.99 (a seat is free), not 100, and
 * 1 of a million is 0.01, not 0.
 */
export function percent(part: number, whole: number | null | undefined): number | null {
  if (!whole) return null;
  const rounded = Math.round((part / whole) * 10_000) / 100;
  if (part < whole && rounded >= 100) return 99.99;
  if (part > 0 && rounded <= 0) return 0.01;
  return rounded;
}

/** Standard competition ranking (1, 2, 2, 4): equal values share a rank. */
export function competitionRanks<T>(items: T[], value: (item: T) => number): Map<T, number> {
  const sorted = [...items].sort((a, b) => value(b) - value(a));
  const ranks = new Map<T, number>();
  sorted.forEach((item, i) => {
    const previous = sorted[i - 1];
    ranks.set(item, i > 0 && value(previous) === value(item) ? ranks.get(previous)! : i + 1);
  });
  return ranks;
}
