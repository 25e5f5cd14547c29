import type { IsoDate } from '@ledger/ledger/shared/dates';
import { coverageTo } from '../../enrollments/status-on';
import { owesMonth } from '@ledger/ledger/contributions/obligation';
import type { ReadQuery } from '../../read-schema';
import { invoiceOn, type InvoiceOn, type MeasureSums } from './invoice-figures';
import { toInvoiceRow } from './invoices.tables';

/** The read models every finance answer reads. */
export const FINANCE_MODELS = ['finance', 'enrollments', 'programs'];

/** Rows of one statement at most: a larger answer is refused rather than read unbounded. */
export const MAX_ROWS = 200_000;

export interface InvoiceFilter {
  programIds?: string[];
  invoiceIds?: string[];
  /** Owner region prefixes (a region and everything below it). */
  ownerRegions?: string[];
  payer?: string;
  fromMonth?: string;
  toMonth?: string;
}

/**
 * The invoices a filter selects, each as of `on` (those whose obligation counts from a later
 * day: left out); with `knownAt`, as the ledger knew them at that log position (an invoice
 * issued later: left out).
 */
export async function invoicesOn(
  db: ReadQuery,
  filter: InvoiceFilter,
  on: IsoDate,
  knownAt?: number,
): Promise<InvoiceOn[]> {
  if (filter.programIds?.length === 0 || filter.invoiceIds?.length === 0) return [];
  let query = db.selectFrom('finance_invoices').selectAll().where('effective_on', '<=', on);
  if (knownAt !== undefined) query = query.where('issued_position', '<=', knownAt);
  if (filter.programIds) query = query.where('program_id', 'in', filter.programIds);
  if (filter.invoiceIds) query = query.where('invoice_id', 'in', filter.invoiceIds);
  if (filter.payer !== undefined) query = query.where('payer', '=', filter.payer);
  if (filter.fromMonth) query = query.where('month', '>=', filter.fromMonth);
  if (filter.toMonth) query = query.where('month', '<=', filter.toMonth);
  if (filter.ownerRegions && !filter.ownerRegions.includes('ID')) {
    const regions = filter.ownerRegions;
    if (regions.length === 0) return [];
    query = query.where((eb) => eb.or(regions.map((r) => eb('owner_region', 'like', `${r}%`))));
  }
  const rows = (await query.orderBy('month').orderBy('invoice_id').limit(MAX_ROWS).execute()).map(
    toInvoiceRow,
  );
  if (rows.length === 0) return [];
  const sums = await deltaSums(
    db,
    rows.map((r) => r.invoice_id),
    on,
    knownAt,
  );
  return rows.map((row) => invoiceOn(row, sums.get(row.invoice_id) ?? {}, on, knownAt));
}

/** Each invoice's measures summed over the deltas of the days up to `on` (recorded by `knownAt`). */
async function deltaSums(
  db: ReadQuery,
  invoiceIds: string[],
  on: IsoDate,
  knownAt: number | undefined,
): Promise<Map<string, MeasureSums>> {
  const out = new Map<string, MeasureSums>();
  for (let i = 0; i < invoiceIds.length; i += 500) {
    const chunk = invoiceIds.slice(i, i + 500);
    let query = db
      .selectFrom('finance_deltas')
      .select(['invoice_id', 'measure', (eb) => eb.fn.sum<number>('delta').as('sum')])
      .where('program_id', 'in', [...new Set(chunk.map((id) => id.split('_')[0]))])
      .where('invoice_id', 'in', chunk)
      .where('day', '<=', on);
    if (knownAt !== undefined) query = query.where('position', '<=', knownAt);
    const rows = await query.groupBy(['invoice_id', 'measure']).execute();
    for (const row of rows) {
      const sums = out.get(row.invoice_id) ?? {};
      sums[row.measure as keyof MeasureSums] = Number(row.sum);
      out.set(row.invoice_id, sums);
    }
  }
  return out;
}

/** Coverages that lapsed on a day up to `on` (recorded by `knownAt`), per program and month. */
export async function lapsedOn(
  db: ReadQuery,
  programIds: string[],
  on: IsoDate,
  knownAt?: number,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (programIds.length === 0) return out;
  let query = db
    .selectFrom('finance_deltas')
    .select(['program_id', 'month', (eb) => eb.fn.sum<number>('delta').as('sum')])
    .where('program_id', 'in', programIds)
    .where('invoice_id', '=', '')
    .where('measure', '=', 'lapsed')
    .where('day', '<=', on);
  if (knownAt !== undefined) query = query.where('position', '<=', knownAt);
  const rows = await query.groupBy(['program_id', 'month']).execute();
  for (const row of rows) {
    const months = out.get(row.program_id) ?? new Map<string, number>();
    months.set(row.month, Number(row.sum));
    out.set(row.program_id, months);
  }
  return out;
}

/** A line's place in allocation order: its index less the cancelled lines before it. */
export function rankOf(line: number, cancelledBefore: number): number {
  return line - cancelledBefore;
}

/** A line's contribution state as of a day. */
export type LineState = 'paid' | 'partial' | 'unpaid' | 'refundable' | 'refunded' | 'cancelled';

export interface LineFacts {
  line: number;
  /** Cancelled lines of the invoice before this one, as of the day. */
  cancelledBefore: number;
  cancelledOn: IsoDate | null;
  refundedOn: IsoDate | null;
  coverageFrom: IsoDate | null;
  endedOn: IsoDate | null;
}

/**
 * What a line of `invoice` is as of `on`, and the money it holds: paid lines (whole or partly)
 * whose coverage no longer owes the month — it ended before, for any reason — are refundable
 * until refunded. The month rule is the invoice's, the coverage end the enrollment's last day
 * bounded by the program's.
 */
export function lineStateOn(
  invoice: InvoiceOn,
  line: LineFacts,
  programEnd: IsoDate,
  on: IsoDate,
): { state: LineState; paid: number } {
  if (line.cancelledOn !== null && line.cancelledOn <= on) return { state: 'cancelled', paid: 0 };
  const rank = rankOf(line.line, line.cancelledBefore);
  let paid = 0;
  if (invoice.status !== 'cancelled' && invoice.status !== 'notIssued') {
    if (rank < invoice.fullyPaidLines) paid = invoice.lineAmount;
    else if (
      invoice.partialLine &&
      (invoice.partialLine.line === null
        ? rank === invoice.fullyPaidLines
        : invoice.partialLine.line === line.line)
    )
      paid = invoice.partialLine.amount;
  }
  if (line.refundedOn !== null && line.refundedOn <= on) return { state: 'refunded', paid };
  if (paid > 0 && line.coverageFrom !== null) {
    // Ended by `on`: its last day (the enrollment's, bounded by the program's) is before it.
    const endedOn = line.endedOn !== null && line.endedOn < on ? line.endedOn : null;
    const to = coverageTo({ ended_on: endedOn }, programEnd);
    if (to < on && !owesMonth({ from: line.coverageFrom, to }, invoice.month, invoice.monthRule))
      return { state: 'refundable', paid };
  }
  return { state: paid === 0 ? 'unpaid' : paid < invoice.lineAmount ? 'partial' : 'paid', paid };
}
