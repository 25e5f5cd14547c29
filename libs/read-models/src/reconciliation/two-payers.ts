import type { ReadQuery } from '../read-schema';
import type { ElsewhereLine } from './reconciliation.projection';

/** Ids per `IN (…)` list: bounded statements, whatever the size of a bill. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

interface BilledInvoice {
  invoice_id: string;
  payer: string;
  month: string;
  elsewhere: ElsewhereLine[];
}

/**
 * COVERED_BY_TWO_PAYERS: rupiah per invoice, and which of its `elsewhere` lines (by index), of bill lines for people the invoice's roster does
 * not hold but another payer's live invoice of the same month does. The bill line names the
 * other programs' enrollments its NIK's registry holds (matched by the NIK's HMAC when the bill
 * was recorded); here they count only if that program's invoice of the month has the
 * enrollment on a live line and its payer is another one. Two programs of one payer are not
 * two payers.
 */
export async function coveredByTwoPayers(
  db: ReadQuery,
  invoices: BilledInvoice[],
): Promise<Map<string, { amount: number; lines: Set<number> }>> {
  const out = new Map<string, { amount: number; lines: Set<number> }>();
  const withCandidates = invoices.filter((i) => i.elsewhere.length > 0);
  if (withCandidates.length === 0) return out;
  const programs = new Set<string>();
  const enrollments = new Set<string>();
  const months = new Set<string>();
  for (const invoice of withCandidates) {
    months.add(invoice.month);
    for (const line of invoice.elsewhere)
      for (const c of line.candidates) {
        programs.add(c.programId);
        enrollments.add(c.enrollmentId);
      }
  }
  // The other programs' live invoices of those months, by program and month.
  const others = new Map<string, { invoiceId: string; payer: string }[]>();
  for (const ids of chunks([...programs])) {
    const rows = await db
      .selectFrom('reconciliation_invoices')
      .select(['invoice_id', 'program_id', 'month', 'payer'])
      .where('program_id', 'in', ids)
      .where('month', 'in', [...months])
      .where('cancelled', '=', 0)
      .execute();
    for (const row of rows) {
      const key = `${row.program_id}|${row.month}`;
      others.set(key, [...(others.get(key) ?? []), { invoiceId: row.invoice_id, payer: row.payer }]);
    }
  }
  const otherInvoiceIds = [...others.values()].flat().map((o) => o.invoiceId);
  // Which of the candidate enrollments those invoices hold on a live line.
  const held = new Set<string>();
  for (const invoiceIds of chunks(otherInvoiceIds))
    for (const enrollmentIds of chunks([...enrollments])) {
      const rows = await db
        .selectFrom('finance_invoice_lines')
        .select(['invoice_id', 'enrollment_id'])
        .where('invoice_id', 'in', invoiceIds)
        .where('enrollment_id', 'in', enrollmentIds)
        .where('cancelled_on', 'is', null)
        .execute();
      for (const row of rows) held.add(`${row.invoice_id}|${row.enrollment_id}`);
    }
  for (const invoice of withCandidates) {
    let amount = 0;
    const lines = new Set<number>();
    invoice.elsewhere.forEach((line, index) => {
      const paidElsewhere = line.candidates.some((c) =>
        (others.get(`${c.programId}|${invoice.month}`) ?? []).some(
          (o) => o.payer !== invoice.payer && held.has(`${o.invoiceId}|${c.enrollmentId}`),
        ),
      );
      if (!paidElsewhere) return;
      amount += line.amount;
      lines.add(index);
    });
    if (lines.size > 0) out.set(invoice.invoice_id, { amount, lines });
  }
  return out;
}
