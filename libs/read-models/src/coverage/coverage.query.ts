import { sql } from 'kysely';
import type { RegionDirectory } from '@ledger/ledger/regions/region-directory';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { baselinesFor } from '../baselines/baselines.query';
import { withUcj } from '../baselines/ucj';
import { loadPrograms, type ProgramInfo } from '../programs/programs.query';
import type { ReadQuery } from '../read-schema';
import { oneMonthBefore } from '../calendar';
import type { ReportRegion } from './coverage-params';
import { partialDeltas, type KnownCoverage } from './coverage-known.query';
import { competitionRanks, percent } from './percent';

export interface ActiveRow {
  region: string;
  programId: string;
  dim: string;
  value: string;
  active: number;
}

/**
 * Active coverage on `date` in the given regions, per program and dimension: the sum of the
 * deltas up to that day, for programs whose coverage has not ended by then. With `known`,
 * as the ledger knew it at that log position (see {@link KnownCoverage}).
 */
export async function activeOn(
  db: ReadQuery,
  programs: Map<string, ProgramInfo>,
  regions: string[],
  date: string,
  dims: string[] = ['total'],
  known?: KnownCoverage,
): Promise<ActiveRow[]> {
  if (regions.length === 0) return [];
  // Filtered here rather than in SQL: an IN list of program ids makes SQLite leave the
  // primary-key range scan (region, dimension).
  const running = new Set([...programs.values()].filter((p) => p.end >= date).map((p) => p.id));
  if (running.size === 0) return [];
  const out: ActiveRow[] = [];
  const CHUNK = 500;
  for (let i = 0; i < regions.length; i += CHUNK) {
    const chunk = regions.slice(i, i + CHUNK);
    const query = (range?: [string, string]) => {
      let q = db
        .selectFrom(range ? knownTable : 'coverage_deltas')
        .select(['region_code', 'program_id', 'dim', 'value'])
        .select((eb) => eb.fn.sum<number>('delta').as('active'))
        .where('region_code', 'in', chunk)
        .where('dim', 'in', dims)
        .where('day', '<=', date);
      if (range) q = q.where(bucket, '>=', range[0]).where(bucket, '<', range[1]);
      return q.groupBy(['region_code', 'program_id', 'dim', 'value']).execute();
    };
    let rows = known ? [] : await query();
    if (known) {
      for (const range of known.ranges) rows.push(...(await query(range)));
      const partial = partialDeltas(known, chunk, dims, date).map((d) => ({
        region_code: d.region,
        program_id: d.programId,
        dim: d.dim,
        value: d.value,
        active: d.delta,
      }));
      rows = summedBy([...rows, ...partial], (r) => `${r.region_code}|${r.program_id}|${r.dim}|${r.value}`);
    }
    for (const r of rows) {
      const active = Number(r.active);
      if (active !== 0 && running.has(r.program_id))
        out.push({ region: r.region_code, programId: r.program_id, dim: r.dim, value: r.value, active });
    }
  }
  return out;
}

/**
 * The known buckets are read through the same query shapes as `coverage_deltas` (their
 * columns are a superset); the bucket range is added by name. The bucket follows the region
 * and dimension in the key, so each range is one range scan per (region, dimension).
 */
const knownTable = 'coverage_known' as 'coverage_deltas';
const bucket = sql.ref<string>('known_bucket');

/** Rows of the bucket ranges and the partial bucket's deltas, summed by key. */
function summedBy<R extends { active: number }>(rows: R[], key: (r: R) => string): R[] {
  const out = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    const seen = out.get(k);
    out.set(k, seen ? { ...seen, active: Number(seen.active) + Number(r.active) } : r);
  }
  return [...out.values()];
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
 * hundreds of (village, program) rows into one per village. With `known`, as the ledger
 * knew it at that log position.
 */
export async function activeSummed(
  db: ReadQuery,
  programs: Map<string, ProgramInfo>,
  regions: string[],
  date: string,
  dims: string[] = ['total'],
  known?: KnownCoverage,
): Promise<SummedRow[]> {
  // A NOT IN filter keeps the primary-key range scan (region, dimension); ended programs
  // are the few, so this list stays short.
  const ended = [...programs.values()].filter((p) => p.end < date).map((p) => p.id);
  const out: SummedRow[] = [];
  const CHUNK = 500;
  for (let i = 0; i < regions.length; i += CHUNK) {
    const chunk = regions.slice(i, i + CHUNK);
    const query = (range?: [string, string]) => {
      let q = db
        .selectFrom(range ? knownTable : 'coverage_deltas')
        .select(['region_code', 'dim', 'value'])
        .select((eb) => eb.fn.sum<number>('delta').as('active'))
        .where('region_code', 'in', chunk)
        .where('dim', 'in', dims)
        .where('day', '<=', date);
      if (ended.length > 0) q = q.where('program_id', 'not in', ended);
      if (range) q = q.where(bucket, '>=', range[0]).where(bucket, '<', range[1]);
      return q.groupBy(['region_code', 'dim', 'value']).execute();
    };
    let rows = known ? [] : await query();
    if (known) {
      for (const range of known.ranges) rows.push(...(await query(range)));
      // A program unknown at the position has no events before it: nothing to keep out.
      const partial = partialDeltas(known, chunk, dims, date)
        .filter((d) => !ended.includes(d.programId))
        .map((d) => ({ region_code: d.region, dim: d.dim, value: d.value, active: d.delta }));
      rows = summedBy([...rows, ...partial], (r) => `${r.region_code}|${r.dim}|${r.value}`);
    }
    for (const r of rows) {
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

const sumBy = <T>(items: T[], key: (t: T) => string, amount: (t: T) => number) => {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + amount(item));
  return [...out]
    .map(([k, active]) => ({ key: k, active }))
    .sort((a, b) => b.active - a.active || a.key.localeCompare(b.key));
};

const childrenOf = (regions: RegionDirectory, code: string) => [
  ...regions.children(code === 'ID' ? '' : code),
];

/**
 * Active participants on a day in a region and in each region one level below, with
 * breakdowns by program, payer, funding source, occupation, sex and age band, and coverage
 * of the year's baseline.
 */
export async function coverageReport(
  db: ReadQuery,
  regions: RegionDirectory,
  region: ReportRegion,
  date: IsoDate,
  known?: KnownCoverage,
) {
  const programs = known?.programs ?? (await loadPrograms(db));
  const below = childrenOf(regions, region.code);
  const year = Number(date.slice(0, 4));
  const [totals, dimensions, belowRows, baselines] = await Promise.all([
    activeOn(db, programs, [region.code], date, ['total'], known),
    activeSummed(db, programs, [region.code], date, ['occupation', 'sex', 'birth_year'], known),
    activeSummed(db, programs, below, date, undefined, known),
    baselinesFor(db, [region.code, ...below], year),
  ]);
  const active = totals.reduce((n, r) => n + r.active, 0);
  const baseline = baselines.get(region.code) ?? null;
  const program = (id: string) => programs.get(id) as ProgramInfo;
  const byProgram = sumBy(
    totals,
    (r) => r.programId,
    (r) => r.active,
  ).map(({ key, active: n }) => ({
    programId: key,
    name: program(key).name,
    payer: program(key).payer,
    fundingSource: program(key).fundingSource,
    active: n,
    quota: program(key).quota,
    quotaUse: percent(n, program(key).quota),
  }));
  const byAgeBand = AGE_BANDS.map((band) => ({
    key: band,
    active: dimensions
      .filter((r) => r.dim === 'birth_year' && ageBand(Number(r.value), date) === band)
      .reduce((n, r) => n + r.active, 0),
  }));
  const belowTotals = new Map<string, number>();
  for (const r of belowRows) belowTotals.set(r.region, (belowTotals.get(r.region) ?? 0) + r.active);
  const belowList = below.map((code) => {
    const child = regions.get(code)!;
    const childBaseline = baselines.get(code);
    const n = belowTotals.get(code) ?? 0;
    return {
      code,
      name: child.name,
      level: child.level,
      active: n,
      workingPopulation: childBaseline?.workingPopulation ?? null,
      coverage: percent(n, childBaseline?.workingPopulation),
    };
  });
  const report = {
    region,
    date,
    active,
    baseline,
    coverage: {
      ofWorkingPopulation: percent(active, baseline?.workingPopulation),
      ofVulnerableWorkers: percent(active, baseline?.vulnerableWorkers),
      denominator: baseline?.workingPopulation ?? null,
      source: baseline?.source ?? null,
      note: baseline
        ? null
        : `Belum ada data penduduk bekerja untuk ${region.name} tahun ${year}; persentase tidak dihitung`,
    },
    byProgram,
    byPayer: sumBy(
      totals,
      (r) => program(r.programId).payer,
      (r) => r.active,
    ),
    byFundingSource: sumBy(
      totals,
      (r) => program(r.programId).fundingSource,
      (r) => r.active,
    ),
    byOccupation: sumBy(
      dimensions.filter((r) => r.dim === 'occupation'),
      (r) => r.value,
      (r) => r.active,
    ),
    bySex: sumBy(
      dimensions.filter((r) => r.dim === 'sex'),
      (r) => r.value,
      (r) => r.active,
    ),
    byAgeBand,
    below: belowList,
  };
  // UCJ adds the participants BPJS counts outside the ledger (baselines/ucj.ts).
  return withUcj(db, report, known?.position);
}

export type CoverageReport = Awaited<ReturnType<typeof coverageReport>>;

/** Active participants and coverage of a region at each of the given month ends. */
export async function coverageSeries(
  db: ReadQuery,
  params: { region: ReportRegion; from: IsoDate; to: IsoDate; months: IsoDate[] },
  known?: KnownCoverage,
) {
  const { region, from, to, months } = params;
  const programs = known?.programs ?? (await loadPrograms(db));
  const points = [];
  for (const date of months) {
    const rows = await activeSummed(db, programs, [region.code], date, undefined, known);
    const active = rows.reduce((n, r) => n + r.active, 0);
    const baseline = (await baselinesFor(db, [region.code], Number(date.slice(0, 4)))).get(region.code);
    points.push({
      date,
      active,
      workingPopulation: baseline?.workingPopulation ?? null,
      coverage: percent(active, baseline?.workingPopulation),
    });
  }
  return { region, from, to, points };
}

export type CoverageSeries = Awaited<ReturnType<typeof coverageSeries>>;

/**
 * The regions below `scope` (its villages with `villages`) ranked by coverage on `date`, with
 * their rank a month earlier. Regions without a baseline for the year are not ranked.
 */
export async function coverageRankings(
  db: ReadQuery,
  regions: RegionDirectory,
  params: { scope: ReportRegion; villages: boolean; date: IsoDate },
  known?: KnownCoverage,
) {
  const { scope, date } = params;
  const programs = known?.programs ?? (await loadPrograms(db));
  const items = params.villages ? regions.villagesOf(scope.code) : childrenOf(regions, scope.code);
  const previous = oneMonthBefore(date);
  const measure = async (day: string) => {
    const [rows, baselines] = await Promise.all([
      activeSummed(db, programs, [...items], day, undefined, known),
      baselinesFor(db, [...items], Number(day.slice(0, 4))),
    ]);
    const active = new Map<string, number>();
    for (const r of rows) active.set(r.region, (active.get(r.region) ?? 0) + r.active);
    const entries = items.map((code) => {
      const n = active.get(code) ?? 0;
      const baseline = baselines.get(code);
      return {
        code,
        active: n,
        workingPopulation: baseline?.workingPopulation ?? null,
        coverage: percent(n, baseline?.workingPopulation),
      };
    });
    const ranked = entries.filter((e) => e.coverage !== null);
    const ranks = competitionRanks(ranked, (e) => e.coverage!);
    return new Map(entries.map((e) => [e.code, { ...e, rank: ranks.get(e) ?? null }]));
  };
  const [now, before] = await Promise.all([measure(date), measure(previous)]);
  const ranking = [...now.values()]
    .map((e) => {
      const prev = before.get(e.code)!;
      return {
        rank: e.rank,
        code: e.code,
        name: regions.get(e.code)!.name,
        active: e.active,
        workingPopulation: e.workingPopulation,
        coverage: e.coverage,
        previousRank: prev.rank,
        previousCoverage: prev.coverage,
        movement: e.rank !== null && prev.rank !== null ? prev.rank - e.rank : null,
      };
    })
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name));
  return {
    scope,
    date,
    previousDate: previous,
    note: ranking.some((r) => r.rank === null)
      ? 'Wilayah tanpa data penduduk bekerja untuk tahun itu tidak diperingkat (rank null)'
      : null,
    ranking,
  };
}

export type CoverageRankings = Awaited<ReturnType<typeof coverageRankings>>;
