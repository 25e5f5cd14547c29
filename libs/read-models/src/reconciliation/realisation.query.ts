import type { IsoDate } from '@ledger/ledger/shared/dates';
import { calendarDate, invalid } from '../params';
import type { ReadQuery } from '../read-schema';

/** The read models the realisation reads (for `consistentWith`). */
export const REALISATION_MODELS = [
  'reconciliation_invoices',
  'reconciliation_sp2d',
  'reconciliation_budget_lines',
];

export interface RealisationParams {
  programId: string;
  year: number;
  asOf: IsoDate;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?program=&year=YYYY&asOf=YYYY-MM-DD` (asOf: today when absent, within the year). */
export function realisationParams(query: Record<string, unknown>, today: IsoDate): RealisationParams {
  const { program, year, asOf } = query;
  if (typeof program !== 'string' || program === '') invalid('program', 'required', 'program wajib diisi');
  if (!UUID.test(program)) invalid('program', 'isUuid', 'program harus UUID');
  if (typeof year !== 'string' || !/^\d{4}$/.test(year))
    invalid('year', 'isYear', 'year harus tahun empat digit (YYYY)');
  const y = Number(year);
  if (y < 2000 || y > 2100) invalid('year', 'range', 'year harus antara 2000 dan 2100');
  let day: IsoDate;
  if (asOf === undefined || asOf === '') day = today < `${y}-12-31` ? today : `${y}-12-31`;
  else day = calendarDate(asOf, 'asOf');
  if (!day.startsWith(`${y}-`)) invalid('asOf', 'withinYear', `asOf harus tanggal dalam tahun ${y}`);
  return { programId: program.toLowerCase(), year: y, asOf: day };
}

export interface RealisationLine {
  /** null: invoices no SP2D has tied to an account code yet, in a year of several lines. */
  accountCode: string | null;
  /** The line's current amount (pagu). */
  appropriated: number;
  /** Live SP2Ds of the year on the account code, dated up to asOf. */
  disbursed: number;
  /** The latest BPJS bill of the line's invoices, months up to asOf. */
  billed: number;
  /** The line's invoices' totals (what the roster justifies), months up to asOf. */
  owed: number;
  /** owed, plus the line's latest month again for each month left to the period's end in the year. */
  projected: number;
  /** appropriated − disbursed. */
  remaining: number;
}

export interface Realisation {
  programId: string;
  year: number;
  asOf: IsoDate;
  /** The months after asOf the projection counts: to the program's end, within the year. */
  monthsLeft: number;
  lines: RealisationLine[];
  total: Omit<RealisationLine, 'accountCode'>;
}

const FIGURES = ['appropriated', 'disbursed', 'billed', 'owed', 'projected', 'remaining'] as const;

/** Months strictly after `from` up to `to` (both YYYY-MM). */
function monthsBetween(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return Math.max(0, index(to) - index(from));
}

/**
 * Realisasi anggaran: per budget line of a program's year, what was appropriated, disbursed,
 * billed and owed up to `asOf`, the projection to the period's end, and what remains. An
 * invoice belongs to the account code of the SP2D paying it (the first one linked, by number);
 * one not paid by any belongs to the year's only line, or with several lines to a line of no
 * account code, so every rupiah owed is on exactly one line and the total is their sum.
 */
export async function realisation(
  db: ReadQuery,
  params: RealisationParams,
  periodEnd: IsoDate | null,
): Promise<Realisation> {
  const { programId, year, asOf } = params;
  const asOfMonth = asOf.slice(0, 7);
  const budget = await db
    .selectFrom('reconciliation_budget_lines')
    .selectAll()
    .where('program_id', '=', programId)
    .where('fiscal_year', '=', year)
    .orderBy('account_code')
    .execute();
  const invoices = await db
    .selectFrom('reconciliation_invoices')
    .selectAll()
    .where('program_id', '=', programId)
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', asOfMonth)
    .where('cancelled', '=', 0)
    .execute();
  const sp2ds = await db
    .selectFrom('reconciliation_sp2d')
    .selectAll()
    .where('program_id', '=', programId)
    .where('cancelled', '=', 0)
    .orderBy('number')
    .execute();
  const codeOfInvoice = new Map<string, string>();
  for (const sp2d of sp2ds)
    for (const id of JSON.parse(sp2d.invoice_ids) as string[])
      if (!codeOfInvoice.has(id)) codeOfInvoice.set(id, sp2d.account_code);
  const only = budget.length === 1 ? budget[0].account_code : null;
  const lines = new Map<string | null, RealisationLine>();
  const lineOf = (code: string | null) => {
    let line = lines.get(code);
    if (!line) {
      line = {
        accountCode: code,
        appropriated: 0,
        disbursed: 0,
        billed: 0,
        owed: 0,
        projected: 0,
        remaining: 0,
      };
      lines.set(code, line);
    }
    return line;
  };
  for (const row of budget) lineOf(row.account_code).appropriated = Number(row.amount);
  for (const sp2d of sp2ds)
    if (sp2d.date.startsWith(`${year}-`) && sp2d.date <= asOf)
      lineOf(sp2d.account_code).disbursed += Number(sp2d.amount);
  // Per line, the invoices of its latest month: the run rate the projection repeats.
  const latest = new Map<string | null, { month: string; amount: number }>();
  for (const invoice of invoices) {
    const code = codeOfInvoice.get(invoice.invoice_id) ?? only;
    const line = lineOf(code);
    line.owed += Number(invoice.total_amount);
    line.billed += Number(invoice.billed_amount ?? 0);
    const seen = latest.get(code);
    if (!seen || seen.month < invoice.month)
      latest.set(code, { month: invoice.month, amount: Number(invoice.total_amount) });
    else if (seen.month === invoice.month) seen.amount += Number(invoice.total_amount);
  }
  const lastMonth = [periodEnd?.slice(0, 7) ?? `${year}-12`, `${year}-12`].sort()[0];
  const monthsLeft = monthsBetween(asOfMonth, lastMonth);
  for (const [code, line] of lines) {
    line.projected = line.owed + (latest.get(code)?.amount ?? 0) * monthsLeft;
    line.remaining = line.appropriated - line.disbursed;
  }
  const ordered = [...lines.values()].sort((a, b) =>
    a.accountCode === null ? 1 : b.accountCode === null ? -1 : a.accountCode.localeCompare(b.accountCode),
  );
  const total = Object.fromEntries(
    FIGURES.map((f) => [f, ordered.reduce((sum, line) => sum + line[f], 0)]),
  ) as Realisation['total'];
  return { programId, year, asOf, monthsLeft, lines: ordered, total };
}
