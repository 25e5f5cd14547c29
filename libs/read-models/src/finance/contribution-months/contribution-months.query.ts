import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { ReadQuery } from '../../read-schema';
import { invoicesOn, lineStateOn, MAX_ROWS, type LineState } from '../invoices/invoices.query';
import { financePrograms } from '../program-months/program-months.query';
import { cancelledLines, countBelow } from '../refundable/refundable.query';

/** One month a participant's coverage owed, as the invoice that billed it stands on a day. */
export interface ContributionMonth {
  month: string;
  programId: string;
  enrollmentId: string;
  invoiceId: string;
  line: number;
  /** What the line owes (the program package). */
  amount: number;
  /** What was paid towards it: the whole amount, a partial amount, or nothing. */
  paid: number;
  state: Exclude<LineState, 'cancelled'>;
  dueDate: IsoDate;
}

/**
 * The contribution months of these enrollments as of `on`, oldest first: each line of an
 * invoice issued by then and not cancelled, paid or not by the invoice's allocation,
 * refundable when its coverage ended before the month. A participant has a few enrollments
 * and a line per month of each, so the answer is small; it is bounded all the same.
 */
export async function contributionMonths(
  db: ReadQuery,
  enrollmentIds: string[],
  on: IsoDate,
): Promise<ContributionMonth[]> {
  if (enrollmentIds.length === 0) return [];
  const lines = await db
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
    ])
    .where('l.enrollment_id', 'in', enrollmentIds)
    .limit(MAX_ROWS)
    .execute();
  if (lines.length === 0) return [];
  const invoiceIds = [...new Set(lines.map((l) => l.invoice_id))];
  const invoices = new Map((await invoicesOn(db, { invoiceIds }, on)).map((i) => [i.invoiceId, i]));
  const cancelled = await cancelledLines(db, invoiceIds, on);
  const ends = new Map(
    (await financePrograms(db, [...new Set([...invoices.values()].map((i) => i.programId))])).map((p) => [
      p.id,
      p.end,
    ]),
  );
  const out: ContributionMonth[] = [];
  for (const l of lines) {
    const invoice = invoices.get(l.invoice_id);
    if (!invoice || invoice.status === 'cancelled' || invoice.status === 'notIssued') continue;
    const line = Number(l.line);
    const { state, paid } = lineStateOn(
      invoice,
      {
        line,
        cancelledBefore: countBelow(cancelled.get(l.invoice_id) ?? [], line),
        cancelledOn: l.cancelled_on,
        refundedOn: l.refunded_on,
        coverageFrom: l.coverage_from,
        endedOn: l.ended_on,
      },
      ends.get(invoice.programId) ?? '9999-12-31',
      on,
    );
    if (state === 'cancelled') continue;
    out.push({
      month: invoice.month,
      programId: invoice.programId,
      enrollmentId: l.enrollment_id,
      invoiceId: invoice.invoiceId,
      line,
      amount: invoice.lineAmount,
      paid,
      state,
      dueDate: invoice.dueDate,
    });
  }
  return out.sort((a, b) => a.month.localeCompare(b.month) || a.programId.localeCompare(b.programId));
}
