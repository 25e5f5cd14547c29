import type { Kysely } from 'kysely';
import type { ProgramRow } from './programs.projection';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** A programs row as read back: the JSON columns are stored as text. */
export type StoredProgramRow = {
  [K in keyof ProgramRow as string extends K ? never : K]: K extends 'contribution'
    ? string
    : K extends 'eligible_occupations'
      ? string | null
      : ProgramRow[K];
};

/**
 * A program as the API shows it. `countsScope` says what `seatsInUse` counts: absent for the
 * whole program (the caller's token covers its owner region), otherwise the region prefixes
 * of the caller's token — a regency's token sees a province-wide program's terms, but counts
 * only the seats held in its own regency.
 */
export function toProgram(row: StoredProgramRow, scoped?: { prefixes: string[]; seatsInUse: number }) {
  return {
    id: row.id,
    name: row.name,
    ownerRegion: row.owner_region,
    payer: row.payer,
    fundingSource: row.funding_source,
    benefitPackage: row.benefit_package,
    declaredIncome: Number(row.declared_income),
    monthlyContribution: JSON.parse(row.contribution),
    period: { from: row.period_from, to: row.period_to },
    quota: Number(row.quota),
    seatsInUse: scoped ? scoped.seatsInUse : Number(row.seats_in_use),
    ...(scoped ? { countsScope: scoped.prefixes } : {}),
    ageCap: Number(row.age_cap),
    eligibleOccupations: row.eligible_occupations ? JSON.parse(row.eligible_occupations) : null,
    budgetCeiling: row.budget_ceiling === null ? null : Number(row.budget_ceiling),
    status: row.status,
    closedOn: row.closed_on,
    establishedAt: row.established_at,
  };
}

export async function programRows(db: Db, id?: string): Promise<StoredProgramRow[]> {
  let query = db.selectFrom('programs').selectAll();
  if (id !== undefined) query = query.where('id', '=', id);
  return (await query.orderBy('established_at').execute()) as StoredProgramRow[];
}

/**
 * Seats (proposed or approved enrollments) each program holds in villages under the given
 * region prefixes. An empty prefix list counts nothing.
 */
export async function seatsInScope(
  db: Db,
  programIds: string[],
  prefixes: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (programIds.length === 0 || prefixes.length === 0) return out;
  const rows = await db
    .selectFrom('enrollments')
    .select(['program_id', (eb) => eb.fn.countAll().as('seats')])
    .where('program_id', 'in', programIds)
    .where('status', 'in', ['proposed', 'approved'])
    .where((eb) => eb.or(prefixes.map((prefix) => eb('village_code', 'like', `${prefix}%`))))
    .groupBy('program_id')
    .execute();
  for (const row of rows) out.set(row.program_id as string, Number(row.seats));
  return out;
}
