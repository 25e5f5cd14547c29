import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** Every year's workforce baseline of one region, oldest first, in the API's camelCase. */
export async function baselinesOf(db: Db, regionCode: string) {
  const rows = await db
    .selectFrom('baselines')
    .selectAll()
    .where('region_code', '=', regionCode)
    .orderBy('year')
    .execute();
  return rows.map((r) => ({
    regionCode: r.region_code as string,
    year: Number(r.year),
    workingPopulation: Number(r.working_population),
    informalWorkers: r.informal_workers === null ? null : Number(r.informal_workers),
    vulnerableWorkers: r.vulnerable_workers === null ? null : Number(r.vulnerable_workers),
    source: r.source as string,
    setBy: r.set_by as string,
    setAt: r.set_at as string,
  }));
}
