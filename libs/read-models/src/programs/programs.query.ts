import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.state';
import type { ReadQuery } from '../read-schema';
import type { StoredProgramRow } from './programs.projection';

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
    monthRule: row.month_rule,
    jkkReportingWindowDays: Number(row.jkk_reporting_window_days),
    status: row.status,
    closedOn: row.closed_on,
    establishedAt: row.established_at,
  };
}

export async function programRows(db: ReadQuery, id?: string): Promise<StoredProgramRow[]> {
  let query = db.selectFrom('programs').selectAll();
  if (id !== undefined) query = query.where('id', '=', id);
  return await query.orderBy('established_at').execute();
}

/**
 * Seats (proposed or approved enrollments) each program holds in villages under the given
 * region prefixes. An empty prefix list counts nothing.
 */
export async function seatsInScope(
  db: ReadQuery,
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
  for (const row of rows) out.set(row.program_id, Number(row.seats));
  return out;
}

/** How a caller sees programs: its token's region prefixes, and which owner regions it covers. */
export interface ProgramViewer {
  prefixes: string[];
  covers(ownerRegion: string): boolean;
}

/** Programs as `viewer` may see them: the seats of a wider program narrowed to the viewer's regions. */
export async function programsAsSeen(db: ReadQuery, rows: StoredProgramRow[], viewer: ProgramViewer) {
  const narrowed = rows.filter((r) => !viewer.covers(r.owner_region)).map((r) => r.id);
  const seats = await seatsInScope(db, narrowed, viewer.prefixes);
  return rows.map((r) =>
    narrowed.includes(r.id)
      ? toProgram(r, { prefixes: viewer.prefixes, seatsInUse: seats.get(r.id) ?? 0 })
      : toProgram(r),
  );
}

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
export async function loadPrograms(db: ReadQuery): Promise<Map<string, ProgramInfo>> {
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
