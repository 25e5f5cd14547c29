import type { RecordedEvent } from '@ledger/event-store';
import type {
  Allocation,
  CoverageLapsedEvent,
  CoverageReinstatedEvent,
  DuesEvent,
} from '@ledger/ledger/contributions/contribution.events';
import { firstDayOf, monthOf } from '@ledger/ledger/contributions/obligation';
import type { EnrollmentEvent } from '@ledger/ledger/enrollment/enrollment.events';
import type { CustomProjection, TableSpec } from '../../runner/projection';

/**
 * One row per invoice: its terms, its current totals and the allocation of its payments as
 * the last event gave it. Figures as of another day come from `finance_deltas`.
 */
export interface FinanceInvoiceRow extends Record<string, unknown> {
  invoice_id: string;
  program_id: string;
  month: string;
  payer: string;
  owner_region: string;
  line_amount: number;
  due_date: string;
  month_rule: string;
  issued_on: string;
  /**
   * The day the invoice's obligation counts from: the month's first day when it was issued
   * later (a month billed after it ran owes from the month itself, so money paid in it is
   * not an over-payment), its issue day when issued earlier; an invoice issued again after a
   * cancellation replaces the cancelled one from its own issue day.
   */
  effective_on: string;
  cancelled_on: string | null;
  /** Every line ever frozen on it, cancelled ones included (the next line's index). */
  line_count: number;
  active_lines: number;
  total: number;
  /** Everything paid on it (refunds not subtracted). */
  paid: number;
  fully_paid_lines: number;
  partial_line: number | null;
  partial_amount: number;
  overpaid: number;
  refunded: number;
  refunded_lines: number;
  overpaid_refunded: number;
  /** The latest BPJS bill's total and version; null before any. */
  billed_amount: number | null;
  billed_version: number | null;
  /**
   * The latest effective day among its payments and adjustments: from that day on, the
   * stored allocation is the answer; before it, the allocation is derived from the amounts.
   */
  settled_on: string;
  updated_position: number;
}

/** One row per line: which enrollment owes it, and whether it was cancelled or refunded (and when). */
export interface FinanceLineRow extends Record<string, unknown> {
  invoice_id: string;
  line: number;
  enrollment_id: string;
  cancelled_on: string | null;
  refunded_on: string | null;
}

/**
 * Day-deltas by effective date, per program, month and invoice: the sum of a measure's
 * deltas up to day D is its figure as of D. Measures: `issued` (+1 issued, −1 cancelled),
 * `total` and `lines` (issue, adjustments, cancellation), `paid`, `refunded`,
 * `overpaid_refunded`, `billed` and `bills` (the latest BPJS bill's total, and whether one was
 * received); and per program-month with no invoice, `lapsed` (coverages that
 * lapsed, on their last day).
 */
export interface FinanceDeltaRow extends Record<string, unknown> {
  program_id: string;
  month: string;
  invoice_id: string;
  measure: string;
  day: string;
  delta: number;
}

export const financeInvoicesTable: TableSpec = {
  name: 'finance_invoices',
  columns: {
    invoice_id: { type: 'text' },
    program_id: { type: 'text' },
    month: { type: 'text' },
    payer: { type: 'text' },
    owner_region: { type: 'text' },
    line_amount: { type: 'integer' },
    due_date: { type: 'text' },
    month_rule: { type: 'text' },
    issued_on: { type: 'text' },
    effective_on: { type: 'text' },
    cancelled_on: { type: 'text', nullable: true },
    line_count: { type: 'integer' },
    active_lines: { type: 'integer' },
    total: { type: 'integer' },
    paid: { type: 'integer' },
    fully_paid_lines: { type: 'integer' },
    partial_line: { type: 'integer', nullable: true },
    partial_amount: { type: 'integer' },
    overpaid: { type: 'integer' },
    refunded: { type: 'integer' },
    refunded_lines: { type: 'integer' },
    overpaid_refunded: { type: 'integer' },
    billed_amount: { type: 'integer', nullable: true },
    billed_version: { type: 'integer', nullable: true },
    settled_on: { type: 'text' },
    updated_position: { type: 'integer' },
  },
  primaryKey: ['invoice_id'],
  indexes: [
    ['program_id', 'month'],
    ['owner_region', 'month'],
    ['payer', 'month'],
  ],
};

export const financeLinesTable: TableSpec = {
  name: 'finance_invoice_lines',
  columns: {
    invoice_id: { type: 'text' },
    line: { type: 'integer' },
    enrollment_id: { type: 'text' },
    cancelled_on: { type: 'text', nullable: true },
    refunded_on: { type: 'text', nullable: true },
  },
  primaryKey: ['invoice_id', 'line'],
  // A participant's months (its program's invoices, then its line in each) and an invoice's
  // cancelled lines (allocation order). Both grow at their end as an invoice is frozen (a
  // roster is in enrollment order): an index led by the enrollment would put a month's
  // lines between every earlier month's, rewriting most of its pages at each freeze.
  indexes: [
    ['invoice_id', 'enrollment_id'],
    ['invoice_id', 'cancelled_on'],
  ],
  clustered: true,
};

export const financeDeltasTable: TableSpec = {
  name: 'finance_deltas',
  columns: {
    program_id: { type: 'text' },
    month: { type: 'text' },
    invoice_id: { type: 'text' },
    measure: { type: 'text' },
    day: { type: 'text' },
    delta: { type: 'integer' },
  },
  primaryKey: ['program_id', 'month', 'invoice_id', 'measure', 'day'],
};

/** Coverages that ended (deregistered or lapsed), as the enrollments read model shows them. */
export interface FinanceEndedRow extends Record<string, unknown> {
  enrollment_id: string;
  program_id: string;
  coverage_from: string;
  ended_on: string;
  end_reason: string;
}

/**
 * The lines that may be refundable: lines of an ended coverage in a month from the one it
 * ended in. Few, whatever the number of lines: the refundable months are read from here,
 * never from every line of the invoices.
 */
export interface FinanceCandidateRow extends Record<string, unknown> {
  invoice_id: string;
  line: number;
  enrollment_id: string;
}

export const financeEndedTable: TableSpec = {
  name: 'finance_ended',
  columns: {
    enrollment_id: { type: 'text' },
    program_id: { type: 'text' },
    coverage_from: { type: 'text' },
    ended_on: { type: 'text' },
    end_reason: { type: 'text' },
  },
  primaryKey: ['enrollment_id'],
};

export const financeCandidatesTable: TableSpec = {
  name: 'finance_refund_candidates',
  columns: {
    invoice_id: { type: 'text' },
    line: { type: 'integer' },
    enrollment_id: { type: 'text' },
  },
  primaryKey: ['invoice_id', 'line'],
  indexes: [['enrollment_id']],
};

/** `<programId>_<YYYY-MM>[_n]`: program ids are UUIDs, without underscores. */
export function invoiceParts(invoiceId: string): { programId: string; month: string } {
  const [programId, month] = invoiceId.split('_');
  return { programId, month };
}

type FinanceEvent =
  | DuesEvent
  | CoverageLapsedEvent
  | CoverageReinstatedEvent
  | Extract<EnrollmentEvent, { type: 'EnrollmentDeregistered' | 'EnrollmentCorrected' }>;

const num = (value: unknown) => Number(value);

/** Rows read back from PostgreSQL carry BIGINT as strings. */
function invoiceFromDb(row: Record<string, unknown>): FinanceInvoiceRow {
  const out = { ...row } as FinanceInvoiceRow;
  for (const [name, column] of Object.entries(financeInvoicesTable.columns))
    if (column.type === 'integer' && row[name] !== null)
      (out as Record<string, unknown>)[name] = num(row[name]);
  return out;
}

const maxDay = (a: string, b: string) => (a > b ? a : b);

function withAllocation(row: FinanceInvoiceRow, allocation: Allocation): FinanceInvoiceRow {
  return {
    ...row,
    paid: allocation.paidAfter,
    fully_paid_lines: allocation.fullyPaidLines,
    partial_line: allocation.partialLine?.line ?? null,
    partial_amount: allocation.partialLine?.amount ?? 0,
    overpaid: allocation.overpaid,
  };
}

/**
 * The finance read model: invoices, their lines, and day-deltas of every amount by effective
 * date. A line's paid state is never stored per line: it follows from the invoice's
 * allocation (lines in order, cancelled ones skipped), so a payment writes one invoice row
 * however many lines it pays.
 */
export const financeProjection: CustomProjection = {
  kind: 'custom',
  name: 'finance',
  version: 4,
  handles: [
    'InvoiceIssued',
    'InvoiceLinesFrozen',
    'InvoiceAdjusted',
    'InvoiceCancelled',
    'PaymentRecorded',
    'RefundRecorded',
    'BpjsBillRecorded',
    'CoverageLapsed',
    'CoverageReinstated',
    'EnrollmentDeregistered',
    'EnrollmentCorrected',
  ],
  tables: [
    financeInvoicesTable,
    financeLinesTable,
    financeDeltasTable,
    financeEndedTable,
    financeCandidatesTable,
  ],
  async apply(events: RecordedEvent[], trx, table, writes) {
    const invoices = new Map<string, FinanceInvoiceRow>();
    const wanted = new Set<string>();
    for (const recorded of events) {
      const invoiceId = (recorded.data as { invoiceId?: string }).invoiceId;
      if (invoiceId !== undefined && recorded.type !== 'InvoiceIssued') wanted.add(invoiceId);
    }
    for (const row of await writes.selectByKeys(table(financeInvoicesTable.name), 'invoice_id', [...wanted]))
      invoices.set(String(row.invoice_id), invoiceFromDb(row));

    const deltas = new Map<string, FinanceDeltaRow>();
    const add = (invoiceId: string, measure: string, day: string, delta: number) => {
      if (delta === 0) return;
      const { programId, month } = invoiceParts(invoiceId);
      const key = `${invoiceId}|${measure}|${day}`;
      const found = deltas.get(key);
      if (found) found.delta += delta;
      else deltas.set(key, { program_id: programId, month, invoice_id: invoiceId, measure, day, delta });
    };
    const lines = table(financeLinesTable.name);
    const markLines = async (
      invoiceId: string,
      which: number[],
      column: 'cancelled_on' | 'refunded_on',
      day: string,
    ) => {
      for (let i = 0; i < which.length; i += 500) {
        await trx
          .updateTable(lines)
          .set({ [column]: day })
          .where('invoice_id', '=', invoiceId)
          .where('line', 'in', which.slice(i, i + 500))
          .execute();
      }
    };

    const ended = table(financeEndedTable.name);
    const candidates = table(financeCandidatesTable.name);
    /** The coverage's end as it now stands, and its candidate lines drawn again. */
    const setEnd = async (end: FinanceEndedRow | { enrollment_id: string; ended_on: null }) => {
      await writes.deleteByKeys(candidates, 'enrollment_id', [end.enrollment_id]);
      if (end.ended_on === null) {
        await writes.deleteByKeys(ended, 'enrollment_id', [end.enrollment_id]);
        return;
      }
      await writes.upsert(ended, financeEndedTable, [end]);
      // Its lines are on its program's invoices of the months from its end on: those stored,
      // and those of this batch (written at its end).
      const endMonth = monthOf(end.ended_on);
      const stored = await trx
        .selectFrom(table(financeInvoicesTable.name))
        .select('invoice_id')
        .where('program_id', '=', end.program_id)
        .where('month', '>=', endMonth)
        .limit(10_000)
        .execute();
      const invoiceIds = new Set(stored.map((r) => String(r.invoice_id)));
      for (const invoice of invoices.values())
        if (invoice.program_id === end.program_id && invoice.month >= endMonth)
          invoiceIds.add(invoice.invoice_id);
      if (invoiceIds.size === 0) return;
      const rows = await trx
        .selectFrom(lines)
        .select(['invoice_id', 'line'])
        .where('invoice_id', 'in', [...invoiceIds])
        .where('enrollment_id', '=', end.enrollment_id)
        .limit(10_000)
        .execute();
      await writes.upsert(
        candidates,
        financeCandidatesTable,
        rows.map((r) => ({
          invoice_id: r.invoice_id,
          line: Number(r.line),
          enrollment_id: end.enrollment_id,
        })),
      );
    };

    for (const recorded of events) {
      const event = recorded as unknown as FinanceEvent;
      if (event.type === 'EnrollmentDeregistered') {
        const d = event.data;
        await setEnd({
          enrollment_id: d.enrollmentId,
          program_id: d.programId,
          coverage_from: d.coverageFrom,
          ended_on: d.effectiveDate,
          end_reason: d.reason,
        });
        continue;
      }
      if (event.type === 'EnrollmentCorrected') {
        const d = event.data;
        const [known] = await writes.selectByKeys(ended, 'enrollment_id', [d.enrollmentId]);
        await setEnd(
          d.endedOn === null
            ? { enrollment_id: d.enrollmentId, ended_on: null }
            : {
                enrollment_id: d.enrollmentId,
                program_id: d.programId,
                coverage_from: d.coverageFrom,
                ended_on: d.endedOn,
                end_reason: known ? String(known.end_reason) : 'corrected',
              },
        );
        continue;
      }
      if (event.type === 'CoverageLapsed' || event.type === 'CoverageReinstated') {
        // A reinstatement takes the lapse back on the day it counted, as if it never held.
        const d = event.data;
        const lapsedOn =
          event.type === 'CoverageLapsed' ? event.data.effectiveDate : event.data.previous.endedOn;
        const delta = event.type === 'CoverageLapsed' ? 1 : -1;
        await setEnd(
          event.type === 'CoverageLapsed'
            ? {
                enrollment_id: d.enrollmentId,
                program_id: d.programId,
                coverage_from: d.coverageFrom,
                ended_on: lapsedOn,
                end_reason: 'lapsed',
              }
            : { enrollment_id: d.enrollmentId, ended_on: null },
        );
        const key = `${d.programId}|${monthOf(lapsedOn)}|lapsed|${lapsedOn}`;
        const found = deltas.get(key);
        if (found) found.delta += delta;
        else
          deltas.set(key, {
            program_id: d.programId,
            month: monthOf(lapsedOn),
            invoice_id: '',
            measure: 'lapsed',
            day: lapsedOn,
            delta,
          });
        continue;
      }
      if (event.type === 'InvoiceIssued') {
        const d = event.data;
        const reissued = d.invoiceId.split('_').length > 2;
        const monthStart = firstDayOf(d.month);
        const effective = reissued || d.issuedOn < monthStart ? d.issuedOn : monthStart;
        invoices.set(d.invoiceId, {
          invoice_id: d.invoiceId,
          program_id: d.programId,
          month: d.month,
          payer: d.payer,
          owner_region: d.ownerRegion,
          line_amount: d.lineAmount,
          due_date: d.dueDate,
          month_rule: d.monthRule,
          issued_on: d.issuedOn,
          effective_on: effective,
          cancelled_on: null,
          line_count: d.lineCount,
          active_lines: d.lineCount,
          total: d.totalAmount,
          paid: 0,
          fully_paid_lines: 0,
          partial_line: null,
          partial_amount: 0,
          overpaid: 0,
          refunded: 0,
          refunded_lines: 0,
          overpaid_refunded: 0,
          billed_amount: null,
          billed_version: null,
          settled_on: effective,
          updated_position: recorded.position,
        });
        add(d.invoiceId, 'issued', effective, 1);
        add(d.invoiceId, 'total', effective, d.totalAmount);
        add(d.invoiceId, 'lines', effective, d.lineCount);
        continue;
      }
      const invoice = invoices.get(event.data.invoiceId);
      // Events of an invoice this model never saw issued (none exist in a consistent log).
      if (!invoice) continue;
      let next: FinanceInvoiceRow = { ...invoice, updated_position: recorded.position };
      switch (event.type) {
        case 'InvoiceLinesFrozen': {
          const d = event.data;
          await writes.upsert(
            lines,
            financeLinesTable,
            d.enrollmentIds.map((enrollmentId, i) => ({
              invoice_id: d.invoiceId,
              line: d.fromLine + i,
              enrollment_id: enrollmentId,
              cancelled_on: null,
              refunded_on: null,
            })),
          );
          // A coverage that had ended already may still be on a roster frozen later (a
          // migration, a late report): its line is a candidate from the start.
          const month = invoiceParts(d.invoiceId).month;
          const endedBefore = await writes.selectByKeys(ended, 'enrollment_id', d.enrollmentIds);
          const endOf = new Map(endedBefore.map((r) => [String(r.enrollment_id), String(r.ended_on)]));
          await writes.upsert(
            candidates,
            financeCandidatesTable,
            d.enrollmentIds.flatMap((enrollmentId, i) => {
              const end = endOf.get(enrollmentId);
              return end !== undefined && month >= monthOf(end)
                ? [{ invoice_id: d.invoiceId, line: d.fromLine + i, enrollment_id: enrollmentId }]
                : [];
            }),
          );
          break;
        }
        case 'InvoiceAdjusted': {
          const d = event.data;
          await markLines(d.invoiceId, d.cancelledLines, 'cancelled_on', d.adjustedOn);
          add(d.invoiceId, 'total', d.adjustedOn, d.totalAfter - invoice.total);
          add(d.invoiceId, 'lines', d.adjustedOn, d.lineCountAfter - invoice.active_lines);
          next = {
            ...next,
            line_count: invoice.line_count + d.addedLines,
            active_lines: d.lineCountAfter,
            total: d.totalAfter,
            settled_on: maxDay(invoice.settled_on, d.adjustedOn),
          };
          // A payment made before the adjustment is allocated again over the lines after it.
          const reallocated = (d as { allocation?: Allocation }).allocation;
          if (reallocated) next = withAllocation(next, reallocated);
          break;
        }
        case 'InvoiceCancelled': {
          const d = event.data;
          add(d.invoiceId, 'issued', d.cancelledOn, -1);
          add(d.invoiceId, 'total', d.cancelledOn, -invoice.total);
          add(d.invoiceId, 'lines', d.cancelledOn, -invoice.active_lines);
          next = {
            ...next,
            cancelled_on: d.cancelledOn,
            settled_on: maxDay(invoice.settled_on, d.cancelledOn),
          };
          break;
        }
        case 'PaymentRecorded': {
          const d = event.data;
          add(d.invoiceId, 'paid', d.paidOn, d.amount);
          next = { ...withAllocation(next, d.allocation), settled_on: maxDay(invoice.settled_on, d.paidOn) };
          break;
        }
        case 'RefundRecorded': {
          const d = event.data;
          await markLines(d.invoiceId, d.lines, 'refunded_on', d.agreedOn);
          add(d.invoiceId, 'refunded', d.agreedOn, d.amount);
          add(d.invoiceId, 'overpaid_refunded', d.agreedOn, d.overpaidRefunded);
          next = {
            ...next,
            refunded: invoice.refunded + d.amount,
            refunded_lines: invoice.refunded_lines + d.lines.length,
            overpaid_refunded: invoice.overpaid_refunded + d.overpaidRefunded,
          };
          break;
        }
        case 'BpjsBillRecorded': {
          // The latest bill replaces the earlier ones: the figure moves by the difference on
          // the day it was received, and `bills` tells whether any had been by a day.
          const d = event.data;
          if (invoice.billed_version !== null && invoice.billed_version >= d.version) break;
          add(d.invoiceId, 'billed', d.receivedOn, d.billed.amount - (invoice.billed_amount ?? 0));
          if (invoice.billed_version === null) add(d.invoiceId, 'bills', d.receivedOn, 1);
          next = { ...next, billed_amount: d.billed.amount, billed_version: d.version };
          break;
        }
        default:
          break;
      }
      invoices.set(next.invoice_id, next);
    }

    await writes.upsert(table(financeInvoicesTable.name), financeInvoicesTable, [...invoices.values()]);
    const deltasName = table(financeDeltasTable.name);
    await writes.upsert(
      deltasName,
      financeDeltasTable,
      [...deltas.values()],
      `ON CONFLICT (${financeDeltasTable.primaryKey.join(', ')}) DO UPDATE SET delta = ${deltasName}.delta + excluded.delta`,
    );
  },
};
