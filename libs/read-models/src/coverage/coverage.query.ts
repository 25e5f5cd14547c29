import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.state';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export interface ProgramInfo {
  id: string;
  name: string;
  ownerRegion: string;
  payer: string;
  fundingSource: string;
  quota: number;
  monthlyContribution: number;
  from: string;
  /** Last covered day: the period end, or the closing day when earlier. */
  end: string;
}

/** All programs with the facts coverage answers need (a few hundred rows at most). */
export async function loadPrograms(db: Db): Promise<Map<string, ProgramInfo>> {
  const rows = await db
    .selectFrom('programs')
    .select([
      'id',
      'name',
      'owner_region',
      'payer',
      'funding_source',
      'quota',
      'monthly_contribution',
      'period_from',
      'period_to',
      'closed_on',
    ])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        ownerRegion: r.owner_region,
        payer: r.payer,
        fundingSource: r.funding_source,
        quota: Number(r.quota),
        monthlyContribution: Number(r.monthly_contribution),
        from: r.period_from,
        end: lastCoveredDay(r.period_to, r.closed_on),
      },
    ]),
  );
}

export interface ActiveRow {
  region: string;
  programId: string;
  dim: string;
  value: string;
  active: number;
}

/**
 * Active coverage on `date` in the given regions, per program and dimension: the sum of the
 * deltas up to that day, for programs whose coverage has not ended by then.
 */
export async function activeOn(
  db: Db,
  programs: Map<string, ProgramInfo>,
  regions: string[],
  date: string,
  dims: string[] = ['total'],
): Promise<ActiveRow[]> {
  if (regions.length === 0) return [];
  // Filtered here rather than in SQL: an IN list of program ids makes SQLite leave the
  // primary-key range scan (region, dimension) and costs ten times as much.
  const running = new Set([...programs.values()].filter((p) => p.end >= date).map((p) => p.id));
  if (running.size === 0) return [];
  const out: ActiveRow[] = [];
  const CHUNK = 500;
  for (let i = 0; i < regions.length; i += CHUNK) {
    const rows = await db
      .selectFrom('coverage_deltas')
      .select(['region_code', 'program_id', 'dim', 'value'])
      .select((eb) => eb.fn.sum<number>('delta').as('active'))
      .where('region_code', 'in', regions.slice(i, i + CHUNK))
      .where('dim', 'in', dims)
      .where('day', '<=', date)
      .groupBy(['region_code', 'program_id', 'dim', 'value'])
      .execute();
    for (const r of rows) {
      const active = Number(r.active);
      if (active !== 0 && running.has(r.program_id))
        out.push({ region: r.region_code, programId: r.program_id, dim: r.dim, value: r.value, active });
    }
  }
  return out;
}

export interface SummedRow {
  region: string;
  dim: string;
  value: string;
  active: number;
}

/**
 * Active coverage on `date` per region and value of each dimension, summed over the
 * programs still running then. The sum is taken by the database: a national answer folds
 * thousands of (program, birth year) rows into a few dozen, a ranking of villages
 * hundreds of (village, program) rows into one per village.
 */
export async function activeSummed(
  db: Db,
  programs: Map<string, ProgramInfo>,
  regions: string[],
  date: string,
  dims: string[] = ['total'],
): Promise<SummedRow[]> {
  // A NOT IN filter keeps the primary-key range scan (region, dimension); ended programs
  // are the few, so this list stays short.
  const ended = [...programs.values()].filter((p) => p.end < date).map((p) => p.id);
  const out: SummedRow[] = [];
  const CHUNK = 500;
  for (let i = 0; i < regions.length; i += CHUNK) {
    let query = db
      .selectFrom('coverage_deltas')
      .select(['region_code', 'dim', 'value'])
      .select((eb) => eb.fn.sum<number>('delta').as('active'))
      .where('region_code', 'in', regions.slice(i, i + CHUNK))
      .where('dim', 'in', dims)
      .where('day', '<=', date);
    if (ended.length > 0) query = query.where('program_id', 'not in', ended);
    for (const r of await query.groupBy(['region_code', 'dim', 'value']).execute()) {
      const active = Number(r.active);
      if (active !== 0) out.push({ region: r.region_code, dim: r.dim, value: r.value, active });
    }
  }
  return out;
}

export const AGE_BANDS = ['<25', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

/**
 * Age band of a birth year on a date: the age reached during that calendar year (the read
 * models keep the birth year, not the birth date, which is personal data).
 */
export function ageBand(birthYear: number, date: string): (typeof AGE_BANDS)[number] {
  const age = Number(date.slice(0, 4)) - birthYear;
  if (age < 25) return '<25';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  if (age < 65) return '55-64';
  return '65+';
}

export interface BaselineInfo {
  year: number;
  workingPopulation: number;
  informalWorkers: number | null;
  vulnerableWorkers: number | null;
  source: string;
}

export async function baselinesFor(
  db: Db,
  regions: string[],
  year: number,
): Promise<Map<string, BaselineInfo>> {
  const out = new Map<string, BaselineInfo>();
  if (regions.length === 0) return out;
  const CHUNK = 500;
  for (let i = 0; i < regions.length; i += CHUNK) {
    const rows = await db
      .selectFrom('baselines')
      .selectAll()
      .where('region_code', 'in', regions.slice(i, i + CHUNK))
      .where('year', '=', year)
      .execute();
    for (const r of rows) {
      out.set(r.region_code, {
        year: Number(r.year),
        workingPopulation: Number(r.working_population),
        informalWorkers: r.informal_workers === null ? null : Number(r.informal_workers),
        vulnerableWorkers: r.vulnerable_workers === null ? null : Number(r.vulnerable_workers),
        source: r.source,
      });
    }
  }
  return out;
}

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

/** The last day of each month from `from` to `to`, `to` itself closing a partial last month. */
export function monthEnds(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (end >= to) {
      out.push(to);
      return out;
    }
    out.push(end);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** The same day one month earlier (clamped to the month's last day). */
export function oneMonthBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 2, Math.min(d, lastDay))).toISOString().slice(0, 10);
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
