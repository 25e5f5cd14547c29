import type { TableSpec } from '../../runner/projection';

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
  /** Log position of its `InvoiceIssued`: a report with `knownAt` before it does not know the invoice. */
  issued_position: number;
}

/** One row per line: which enrollment owes it, and whether it was cancelled or refunded (and when). */
export interface FinanceLineRow extends Record<string, unknown> {
  invoice_id: string;
  line: number;
  enrollment_id: string;
  cancelled_on: string | null;
  refunded_on: string | null;
  /** Log positions of the adjustment that cancelled it and of the refund (for `knownAt`). */
  cancelled_position: number | null;
  refunded_position: number | null;
}

/**
 * Day-deltas by effective date, per program, month and invoice: the sum of a measure's
 * deltas up to day D is its figure as of D. Measures: `issued` (+1 issued, −1 cancelled),
 * `total` and `lines` (issue, adjustments, cancellation), `paid`, `refunded`,
 * `overpaid_refunded`, `billed` and `bills` (the latest BPJS bill's total, and whether one was
 * received); and per program-month with no invoice, `lapsed` (coverages that
 * lapsed, on their last day). Each delta also keeps the log position of the event that made it,
 * so the sum over the deltas up to day D and position P is the figure as of D as the ledger
 * knew it at P (`knownAt`): the two times of every amount.
 */
export interface FinanceDeltaRow extends Record<string, unknown> {
  program_id: string;
  month: string;
  invoice_id: string;
  measure: string;
  day: string;
  position: number;
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
    issued_position: { type: 'integer' },
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
    cancelled_position: { type: 'integer', nullable: true },
    refunded_position: { type: 'integer', nullable: true },
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
    position: { type: 'integer' },
    delta: { type: 'integer' },
  },
  primaryKey: ['program_id', 'month', 'invoice_id', 'measure', 'day', 'position'],
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

/** Rows read back carry integers as the driver gives them (BIGINT may come as a string): numbers again. */
export function toInvoiceRow(row: Record<string, unknown>): FinanceInvoiceRow {
  const out = { ...row } as Record<string, unknown>;
  for (const [name, column] of Object.entries(financeInvoicesTable.columns))
    if (column.type === 'integer' && row[name] !== null && row[name] !== undefined)
      out[name] = Number(row[name]);
  return out as FinanceInvoiceRow;
}
