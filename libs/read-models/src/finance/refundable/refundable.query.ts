import { countBelow } from '@ledger/ledger/contributions/dues.state';
import { lastDayOf } from '@ledger/ledger/contributions/obligation';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { sql } from 'kysely';
import type { ReadQuery } from '../../read-schema';
import type { InvoiceOn } from '../invoices/invoice-figures';
import { lineStateOn, MAX_ROWS, type LineFacts } from '../invoices/invoices.query';

/** A paid line whose coverage no longer owes its month, not refunded yet. */
export interface RefundableLine {
  invoiceId: string;
  programId: string;
  month: string;
  payer: string;
  line: number;
  enrollmentId: string;
  /** Why the coverage ended (deceased, deregistered, lapsed, duplicate…), as the enrollment says. */
  endReason: string | null;
  endedOn: IsoDate | null;
  amount: number;
}

/**
 * The refundable lines of these invoices as of `on`. Only lines whose coverage ended before
 * `on` can be refundable, so the candidates are the lines of the programs' ended enrollments,
 * plus every line of a month the program itself no longer covers.
 * Each candidate is then decided by `lineStateOn`, the rule the history uses too.
 * With `knownAt` (a log position; the invoices as of it too) the coverages, cancellations and
 * refunds are those recorded by then (`knownCandidates`).
 */
export async function refundableLines(
  db: ReadQuery,
  invoices: InvoiceOn[],
  programEnds: ReadonlyMap<string, IsoDate>,
  on: IsoDate,
  knownAt?: number,
): Promise<RefundableLine[]> {
  const paying = invoices.filter((i) => i.fullyPaidLines > 0 || i.partialLine !== null);
  const out: RefundableLine[] = [];
  for (let i = 0; i < paying.length && out.length < MAX_ROWS; i += 200) {
    const chunk = paying.slice(i, i + 200);
    const byId = new Map(chunk.map((inv) => [inv.invoiceId, inv]));
    const closed = chunk
      .filter((inv) => {
        const end = programEnds.get(inv.programId);
        return end !== undefined && end < on && end < lastDayOf(inv.month);
      })
      .map((inv) => inv.invoiceId);
    // The candidates are few (lines of ended coverages from the month they ended in); only
    // lines the money can have reached can be paid: in line order, a line's index is at most
    // the whole lines the payments cover plus the cancelled lines (payments only add up).
    // Read from the invoices: per invoice, the candidates up to that line are one range of
    // its key, so the cost follows the lines that can be refundable, never the coverages that
    // ended (SQLite keeps the order of a CROSS JOIN; PostgreSQL plans it as an inner join).
    const ended =
      knownAt !== undefined
        ? []
        : await db
            .selectFrom('finance_invoices as i')
            .crossJoin('finance_refund_candidates as c')
            .crossJoin('finance_ended as f')
            .crossJoin('finance_invoice_lines as l')
            .whereRef('c.invoice_id', '=', 'i.invoice_id')
            .whereRef('f.enrollment_id', '=', 'c.enrollment_id')
            .whereRef('l.invoice_id', '=', 'c.invoice_id')
            .whereRef('l.line', '=', 'c.line')
            .select([
              'l.invoice_id',
              'l.line',
              'l.enrollment_id',
              'l.cancelled_on',
              'l.refunded_on',
              'f.coverage_from',
              'f.ended_on',
              'f.end_reason',
            ])
            .where('i.invoice_id', 'in', [...byId.keys()])
            .where('f.ended_on', '<', on)
            .where('i.line_amount', '>', 0)
            .where('c.line', '<=', sql<number>`i.paid / i.line_amount + (i.line_count - i.active_lines)`)
            .limit(MAX_ROWS)
            .execute();
    const ofClosed =
      knownAt !== undefined
        ? await knownCandidates(db, chunk, closed, on, knownAt)
        : closed.length
          ? await db
              .selectFrom('finance_invoice_lines as l')
              .innerJoin('enrollments as e', 'e.id', 'l.enrollment_id')
              .select([
                'l.invoice_id',
                'l.line',
                'l.enrollment_id',
                'l.cancelled_on',
                'l.refunded_on',
                'e.coverage_from',
                'e.ended_on',
                'e.end_reason',
              ])
              .where('l.invoice_id', 'in', closed)
              .limit(MAX_ROWS)
              .execute()
          : [];
    const seen = new Set<string>();
    const candidates = [...ended, ...ofClosed]
      .filter((c) => {
        const key = `${c.invoice_id}|${c.line}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => a.invoice_id.localeCompare(b.invoice_id) || Number(a.line) - Number(b.line));
    if (candidates.length === 0) continue;
    const cancelled = await cancelledLines(
      db,
      [...new Set(candidates.map((c) => c.invoice_id))],
      on,
      knownAt,
    );
    for (const c of candidates) {
      const invoice = byId.get(c.invoice_id)!;
      const line = Number(c.line);
      const facts: LineFacts = {
        line,
        cancelledBefore: countBelow(cancelled.get(c.invoice_id) ?? [], line),
        cancelledOn: c.cancelled_on,
        refundedOn: c.refunded_on,
        coverageFrom: c.coverage_from,
        endedOn: c.ended_on,
      };
      const end = programEnds.get(invoice.programId) ?? '9999-12-31';
      const { state, paid } = lineStateOn(invoice, facts, end, on);
      if (state !== 'refundable') continue;
      out.push({
        invoiceId: invoice.invoiceId,
        programId: invoice.programId,
        month: invoice.month,
        payer: invoice.payer,
        line,
        enrollmentId: c.enrollment_id,
        endReason: c.ended_on !== null && c.ended_on < on ? c.end_reason : 'program_closed',
        endedOn: c.ended_on !== null && c.ended_on < on ? c.ended_on : end,
        amount: paid,
      });
    }
  }
  return out;
}

/** Each invoice's lines cancelled by `on` (by an adjustment recorded by `knownAt`), ascending. */
export async function cancelledLines(
  db: ReadQuery,
  invoiceIds: string[],
  on: IsoDate,
  knownAt?: number,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (invoiceIds.length === 0) return out;
  // Sorted here, not in SQL: an ORDER BY (invoice, line) makes SQLite walk the primary key
  // through every line of the invoices (10,000 each) instead of the (invoice, cancelled_on)
  // index, which holds only the few cancelled ones.
  let query = db
    .selectFrom('finance_invoice_lines')
    .select(['invoice_id', 'line'])
    .where('invoice_id', 'in', invoiceIds)
    .where('cancelled_on', 'is not', null)
    .where('cancelled_on', '<=', on);
  if (knownAt !== undefined) query = query.where('cancelled_position', '<=', knownAt);
  const rows = await query.limit(MAX_ROWS).execute();
  for (const row of rows) {
    const lines = out.get(row.invoice_id) ?? [];
    lines.push(Number(row.line));
    out.set(row.invoice_id, lines);
  }
  for (const lines of out.values()) lines.sort((a, b) => a - b);
  return out;
}

type Candidate = {
  invoice_id: string;
  line: number;
  enrollment_id: string;
  cancelled_on: IsoDate | null;
  refunded_on: IsoDate | null;
  coverage_from: IsoDate | null;
  ended_on: IsoDate | null;
  end_reason: string | null;
};

/**
 * The candidate lines as the ledger knew them at `knownAt`: the lines of the coverages that had
 * ended before `on` by then (their enrollments' versions current at that position), and every
 * line of the `closed` invoices, each with its cancellation and refund only when recorded by
 * then. This reads every version of the programs' enrollments known by the position (an
 * auditor's question, not a dashboard's), in bounded statements.
 */
async function knownCandidates(
  db: ReadQuery,
  invoices: InvoiceOn[],
  closed: string[],
  on: IsoDate,
  knownAt: number,
): Promise<Candidate[]> {
  const current = <T extends { known_from: unknown; known_to: unknown }>(v: T) =>
    Number(v.known_from) <= knownAt && (v.known_to === null || Number(v.known_to) > knownAt);
  const programIds = [...new Set(invoices.map((i) => i.programId))];
  const ended = (
    await db
      .selectFrom('enrollment_versions')
      .select(['id', 'coverage_from', 'ended_on', 'end_reason', 'known_from', 'known_to'])
      .where('program_id', 'in', programIds)
      .where('known_from', '<=', knownAt)
      .where((eb) => eb.or([eb('known_to', 'is', null), eb('known_to', '>', knownAt)]))
      .where('ended_on', 'is not', null)
      .where('ended_on', '<', on)
      .limit(MAX_ROWS)
      .execute()
  ).filter(current);
  const endOf = new Map(ended.map((v) => [v.id, v]));
  const lineCols = [
    'invoice_id',
    'line',
    'enrollment_id',
    'cancelled_on',
    'refunded_on',
    'cancelled_position',
    'refunded_position',
  ] as const;
  const rows: {
    invoice_id: string;
    line: number;
    enrollment_id: string;
    cancelled_on: IsoDate | null;
    refunded_on: IsoDate | null;
    cancelled_position: number | null;
    refunded_position: number | null;
  }[] = [];
  const ids = invoices.map((i) => i.invoiceId);
  const endedIds = [...endOf.keys()];
  for (let i = 0; i < endedIds.length && rows.length < MAX_ROWS; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('finance_invoice_lines')
        .select(lineCols)
        .where('invoice_id', 'in', ids)
        .where('enrollment_id', 'in', endedIds.slice(i, i + 500))
        .limit(MAX_ROWS)
        .execute()),
    );
  }
  const out: Candidate[] = [];
  const masked = (r: (typeof rows)[number]) => ({
    invoice_id: r.invoice_id,
    line: Number(r.line),
    enrollment_id: r.enrollment_id,
    cancelled_on:
      r.cancelled_position !== null && Number(r.cancelled_position) <= knownAt ? r.cancelled_on : null,
    refunded_on:
      r.refunded_position !== null && Number(r.refunded_position) <= knownAt ? r.refunded_on : null,
  });
  for (const r of rows) {
    const v = endOf.get(r.enrollment_id)!;
    out.push({
      ...masked(r),
      coverage_from: v.coverage_from,
      ended_on: v.ended_on,
      end_reason: v.end_reason,
    });
  }
  if (closed.length > 0) {
    const ofClosed = await db
      .selectFrom('finance_invoice_lines as l')
      .innerJoin('enrollment_versions as v', 'v.id', 'l.enrollment_id')
      .select(lineCols.map((c) => `l.${c}` as const))
      .select(['v.coverage_from', 'v.ended_on', 'v.end_reason', 'v.known_from', 'v.known_to'])
      .where('l.invoice_id', 'in', closed)
      .where('v.known_from', '<=', knownAt)
      .where((eb) => eb.or([eb('v.known_to', 'is', null), eb('v.known_to', '>', knownAt)]))
      .limit(MAX_ROWS)
      .execute();
    for (const r of ofClosed.filter(current))
      out.push({
        ...masked(r),
        coverage_from: r.coverage_from,
        ended_on: r.ended_on,
        end_reason: r.end_reason,
      });
  }
  return out;
}
