import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { ReadQuery } from '../../read-schema';
import {
  addFigures,
  emptyFigures,
  financeProgramsAt,
  programsMonths,
  type BudgetUse,
  type KnownFinance,
  type MonthFigures,
} from '../program-months/program-months.query';

export interface FinanceSummary {
  region: string;
  year: number;
  asOf: IsoDate;
  /** The log position the figures were known at, when asked for one. */
  knownAt?: number;
  /** Each program owned in the region whose period meets the year, its months of the year summed. */
  programs: ({
    id: string;
    name: string;
    ownerRegion: string;
    payer: string;
    budget: BudgetUse;
  } & MonthFigures)[];
  /** The programs' figures month by month. */
  months: ({ month: string } & MonthFigures)[];
  /** The sum of the programs (and of the months: the same figures). */
  totals: MonthFigures;
}

/**
 * The finance summary of a region's programs for a year, as of `asOf`. `region` is a code
 * prefix ('' or 'ID' for the country). A few hundred programs at most, each a dozen months.
 * With `known`, as the ledger knew it at that log position (programs, periods and money).
 */
export async function financeSummary(
  db: ReadQuery,
  region: string,
  year: number,
  asOf: IsoDate,
  known?: KnownFinance,
): Promise<FinanceSummary> {
  const prefix = region === 'ID' ? '' : region;
  const programs = (await financeProgramsAt(db, known)).filter(
    (p) => p.ownerRegion.startsWith(prefix) && p.periodFrom <= `${year}-12-31` && p.end >= `${year}-01-01`,
  );
  const found = await programsMonths(
    db,
    programs,
    asOf,
    { from: `${year}-01`, to: `${year}-12` },
    known?.position,
  );
  const months = new Map<string, MonthFigures>();
  for (const p of found)
    for (const { month, invoiceId: _i, status: _s, dueDate: _d, ...figures } of p.months)
      months.set(month, addFigures(months.get(month) ?? emptyFigures(), figures));
  const rows = found.map((p) => ({ ...p.program, budget: p.budget, ...p.totals }));
  return {
    region: region === '' ? 'ID' : region,
    year,
    asOf,
    ...(known === undefined ? {} : { knownAt: known.position }),
    programs: rows,
    months: [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, f]) => ({ month, ...f })),
    totals: rows.reduce<MonthFigures>((sum, row) => addFigures(sum, row), emptyFigures()),
  };
}
