import type { Columns } from '../columns';
import type { ReadQuery } from '../read-schema';
import type { BaselineRow } from './baselines.projection';

/** Every year's workforce baseline of one region, oldest first, in the API's camelCase. */
export async function baselinesOf(db: ReadQuery, regionCode: string) {
  const rows = await db
    .selectFrom('baselines')
    .selectAll()
    .where('region_code', '=', regionCode)
    .orderBy('year')
    .execute();
  return rows.map((r) => ({
    regionCode: r.region_code,
    ...baselineInfo(r),
    setBy: r.set_by,
    setAt: r.set_at,
  }));
}

export interface BaselineInfo {
  year: number;
  workingPopulation: number;
  informalWorkers: number | null;
  vulnerableWorkers: number | null;
  source: string;
}

function baselineInfo(r: Columns<BaselineRow>): BaselineInfo {
  return {
    year: Number(r.year),
    workingPopulation: Number(r.working_population),
    informalWorkers: r.informal_workers === null ? null : Number(r.informal_workers),
    vulnerableWorkers: r.vulnerable_workers === null ? null : Number(r.vulnerable_workers),
    source: r.source,
  };
}

/** The baselines of a year of the given regions, by region code (a coverage denominator each). */
export async function baselinesFor(
  db: ReadQuery,
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
    for (const r of rows) out.set(r.region_code, baselineInfo(r));
  }
  return out;
}
