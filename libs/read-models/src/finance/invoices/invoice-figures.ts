import { arrearsAgeMonths, type MonthRule } from '@ledger/ledger/contributions/obligation';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { FinanceInvoiceRow } from './invoices.tables';

/** The sums of an invoice's day-deltas up to a day, per measure. */
export type MeasureSums = Partial<
  Record<
    'issued' | 'total' | 'lines' | 'paid' | 'refunded' | 'overpaid_refunded' | 'billed' | 'bills',
    number
  >
>;

/** Arrears by age in months since the due date: ≤ 1, 2, 3, more than 3. */
export interface ArrearsByAge {
  upTo1: number;
  months2: number;
  months3: number;
  over3: number;
}

export const noArrears = (): ArrearsByAge => ({ upTo1: 0, months2: 0, months3: 0, over3: 0 });

export function ageBucket(age: number): keyof ArrearsByAge {
  if (age <= 1) return 'upTo1';
  if (age === 2) return 'months2';
  if (age === 3) return 'months3';
  return 'over3';
}

export type InvoiceStatusOn = 'notIssued' | 'open' | 'partly_paid' | 'paid' | 'cancelled';

/** One invoice as of a day: every amount in whole rupiah. */
export interface InvoiceOn {
  invoiceId: string;
  programId: string;
  month: string;
  payer: string;
  ownerRegion: string;
  dueDate: IsoDate;
  monthRule: MonthRule;
  lineAmount: number;
  status: InvoiceStatusOn;
  lines: number;
  total: number;
  paid: number;
  outstanding: number;
  overpaid: number;
  refunded: number;
  /** The latest BPJS bill received by the day; null before one. */
  billedByBpjs: number | null;
  /** The over-payment not refunded yet (paid lines of ended coverages are added by the caller). */
  overpaidRefundable: number;
  fullyPaidLines: number;
  /** The partly paid line (its index) and what it got; null when none is. */
  partialLine: { line: number | null; amount: number } | null;
  unpaidLines: number;
  /** Months since the due date while something is outstanding after it (0 otherwise). */
  arrearsAge: number;
}

/**
 * An invoice as of `on`, from its row and its deltas up to that day. The allocation is the
 * stored one from the invoice's last payment or adjustment on; before that, the same rule
 * the payments follow (lines in order, cancelled ones skipped, each owing `lineAmount`)
 * applied to what had been paid by then. Over-payments are what was paid beyond the total,
 * so money paid on a cancelled invoice is all over-payment.
 *
 * With `knownAt` (a log position) the sums are those of the deltas recorded by then, and the
 * stored allocation is used only when the row has not changed since (otherwise it is derived
 * from what had been paid, as for an earlier day).
 */
export function invoiceOn(
  row: FinanceInvoiceRow,
  sums: MeasureSums,
  on: IsoDate,
  knownAt?: number,
): InvoiceOn {
  const issued = (sums.issued ?? 0) > 0;
  const lines = issued ? (sums.lines ?? 0) : 0;
  const total = issued ? (sums.total ?? 0) : 0;
  const paid = sums.paid ?? 0;
  const refunded = sums.refunded ?? 0;
  const outstanding = Math.max(0, total - paid);
  const overpaid = Math.max(0, paid - total);
  let fullyPaidLines = 0;
  let partialLine: InvoiceOn['partialLine'] = null;
  const storedHolds = knownAt === undefined || row.updated_position <= knownAt;
  if (issued && on >= row.settled_on && storedHolds) {
    fullyPaidLines = row.fully_paid_lines;
    partialLine = row.partial_line === null ? null : { line: row.partial_line, amount: row.partial_amount };
  } else if (issued && row.line_amount > 0) {
    fullyPaidLines = Math.min(lines, Math.floor(paid / row.line_amount));
    const rest = paid - fullyPaidLines * row.line_amount;
    if (fullyPaidLines < lines && rest > 0) partialLine = { line: null, amount: rest };
  }
  const status: InvoiceStatusOn =
    row.effective_on > on
      ? 'notIssued'
      : !issued
        ? 'cancelled'
        : total > 0 && paid >= total
          ? 'paid'
          : paid > 0
            ? 'partly_paid'
            : total === 0
              ? 'paid'
              : 'open';
  return {
    invoiceId: row.invoice_id,
    programId: row.program_id,
    month: row.month,
    payer: row.payer,
    ownerRegion: row.owner_region,
    dueDate: row.due_date,
    monthRule: row.month_rule as MonthRule,
    lineAmount: row.line_amount,
    status,
    lines,
    total,
    paid,
    outstanding,
    overpaid,
    refunded,
    billedByBpjs: (sums.bills ?? 0) > 0 ? (sums.billed ?? 0) : null,
    overpaidRefundable: Math.max(0, overpaid - (sums.overpaid_refunded ?? 0)),
    fullyPaidLines,
    partialLine,
    unpaidLines: lines - fullyPaidLines - (partialLine ? 1 : 0),
    arrearsAge: outstanding > 0 ? arrearsAgeMonths(row.due_date, on) : 0,
  };
}
