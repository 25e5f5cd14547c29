import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { ReadQuery } from '../../read-schema';
import { invoicesOn, lineStateOn, MAX_ROWS, type LineState } from '../invoices/invoices.query';
import { financeProgramsAt, type KnownFinance } from '../program-months/program-months.query';
import { countBelow } from '@ledger/ledger/contributions/dues.state';
import { cancelledLines } from '../refundable/refundable.query';

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
 * With `known`, as the ledger knew them at that log position: the enrollments' versions then,
 * the invoices, payments, cancellations and refunds recorded by then.
 */
export async function contributionMonths(
  db: ReadQuery,
  enrollmentIds: string[],
  on: IsoDate,
  known?: KnownFinance,
): Promise<ContributionMonth[]> {
  if (enrollmentIds.length === 0) return [];
  const knownAt = known?.position;
  // An enrollment's lines are on its program's invoices: a few dozen at most, each looked up
  // by its (invoice, enrollment) index, whatever the number of lines of the invoices.
  const enrollments =
    knownAt === undefined
      ? await db
          .selectFrom('enrollments')
          .select(['id', 'program_id', 'coverage_from', 'ended_on'])
          .where('id', 'in', enrollmentIds)
          .limit(MAX_ROWS)
          .execute()
      : await db
          .selectFrom('enrollment_versions')
          .select(['id', 'program_id', 'coverage_from', 'ended_on'])
          .where('id', 'in', enrollmentIds)
          .where('known_from', '<=', knownAt)
          .where((eb) => eb.or([eb('known_to', 'is', null), eb('known_to', '>', knownAt)]))
          .limit(MAX_ROWS)
          .execute();
  if (enrollments.length === 0) return [];
  const byId = new Map(enrollments.map((e) => [e.id, e]));
  const ofPrograms = await db
    .selectFrom('finance_invoices')
    .select(['invoice_id', 'program_id'])
    .where('program_id', 'in', [...new Set(enrollments.map((e) => e.program_id))])
    .limit(MAX_ROWS)
    .execute();
  const lines: {
    invoice_id: string;
    line: number;
    enrollment_id: string;
    cancelled_on: IsoDate | null;
    refunded_on: IsoDate | null;
    coverage_from: IsoDate | null;
    ended_on: IsoDate | null;
  }[] = [];
  for (const programId of new Set(enrollments.map((e) => e.program_id))) {
    const invoiceIds = ofPrograms.filter((i) => i.program_id === programId).map((i) => i.invoice_id);
    if (invoiceIds.length === 0) continue;
    // The lines are found through the (invoice, enrollment) index, which covers only the key,
    // and their dates read by primary key. Asked for the dates at once, SQLite (without
    // statistics) prefers the primary key's invoice prefix and walks all 10,000 lines of
    // every invoice.
    const rows = await db
      .selectFrom('finance_invoice_lines as k')
      .innerJoin('finance_invoice_lines as l', (join) =>
        join.onRef('l.invoice_id', '=', 'k.invoice_id').onRef('l.line', '=', 'k.line'),
      )
      .select([
        'k.invoice_id',
        'k.line',
        'k.enrollment_id',
        'l.cancelled_on',
        'l.refunded_on',
        'l.cancelled_position',
        'l.refunded_position',
      ])
      .where('k.invoice_id', 'in', invoiceIds)
      .where(
        'k.enrollment_id',
        'in',
        enrollments.filter((e) => e.program_id === programId).map((e) => e.id),
      )
      .limit(MAX_ROWS)
      .execute();
    // A cancellation or refund recorded after `knownAt` had not happened yet.
    const by = (day: IsoDate | null, position: number | null) =>
      knownAt === undefined || (position !== null && Number(position) <= knownAt) ? day : null;
    for (const row of rows) {
      const e = byId.get(row.enrollment_id)!;
      lines.push({
        invoice_id: row.invoice_id,
        line: Number(row.line),
        enrollment_id: row.enrollment_id,
        cancelled_on: by(row.cancelled_on, row.cancelled_position),
        refunded_on: by(row.refunded_on, row.refunded_position),
        coverage_from: e.coverage_from,
        ended_on: e.ended_on,
      });
    }
  }
  if (lines.length === 0) return [];
  // Enrollment, invoice, line: months of one program and month keep this order after the sort below.
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  lines.sort(
    (a, b) =>
      byCode(a.enrollment_id, b.enrollment_id) || byCode(a.invoice_id, b.invoice_id) || a.line - b.line,
  );
  const invoiceIds = [...new Set(lines.map((l) => l.invoice_id))];
  const invoices = new Map((await invoicesOn(db, { invoiceIds }, on, knownAt)).map((i) => [i.invoiceId, i]));
  const cancelled = await cancelledLines(db, invoiceIds, on, knownAt);
  const ends = new Map(
    (await financeProgramsAt(db, known, [...new Set([...invoices.values()].map((i) => i.programId))])).map(
      (p) => [p.id, p.end],
    ),
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
