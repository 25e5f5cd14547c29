import type { BackfillMarker } from '../shared/backfill';
import type { IsoDate } from '../shared/dates';
import type { Allocation, DuesEvent, InvoiceId, InvoiceTerms, RefundReason } from './contribution.events';
import type { YearMonth } from './obligation';

/**
 * The fold of one program-month's dues stream. A month may hold several invoices over time
 * (one cancelled, issued again as `_2`), but at most one that is not cancelled: the last one.
 */
export interface DuesState {
  invoices: InvoiceState[];
}

export type InvoiceStatus = 'open' | 'partly_paid' | 'paid' | 'cancelled';

export interface PaymentState {
  paymentId: string;
  amount: number;
  paidOn: IsoDate;
  reference: string;
  sp2dNumber: string | null;
  allocation: Allocation;
  backfill?: BackfillMarker;
}

export interface RefundState {
  refundId: string;
  lines: number[];
  amount: number;
  overpaidRefunded: number;
  reason: RefundReason;
  reference: string | null;
  agreedOn: IsoDate;
}

export interface AdjustmentState {
  adjustmentId: string;
  reason: string;
  note: string | null;
  addedLines: number;
  cancelledLines: number[];
  amountDelta: number;
  adjustedOn: IsoDate;
}

export interface InvoiceState {
  terms: InvoiceTerms;
  issuedOn: IsoDate;
  frozenAtPosition: number;
  rosterDigest: string;
  backfill?: BackfillMarker;
  /** The control totals as issued (the frozen roster), before any adjustment. */
  issued: { lineCount: number; totalAmount: number };
  /** Enrollment ids in line order: `lines[i]` is line i. */
  lines: string[];
  /** Cancelled lines, ascending: they owe nothing and take no payment. */
  cancelledLines: number[];
  /** Lines not cancelled and what they owe together (`activeLineCount × lineAmount`). */
  activeLineCount: number;
  totalAmount: number;
  cancelled: { reason: string; cancelledOn: IsoDate } | null;
  /** Everything paid on the invoice (refunds not subtracted), allocated as `allocation` says. */
  paid: number;
  allocation: Allocation;
  payments: PaymentState[];
  adjustments: AdjustmentState[];
  refunds: RefundState[];
  /** Lines refunded (at most once each), ascending. */
  refundedLines: number[];
  overpaidRefunded: number;
  /** Lines the lapse sweep relied on being unpaid, and the days it decided. */
  lapses: { lines: number[]; asOf: IsoDate }[];
  /** Lines whose lapse a payment recorded later undid, with the day the lapse was decided. */
  reverted: { lines: number[]; asOf: IsoDate; paymentId: string }[];
}

export const initialDuesState = (): DuesState => ({ invoices: [] });

export const noAllocation = (): Allocation => ({
  paidBefore: 0,
  paidAfter: 0,
  fullyPaidLines: 0,
  partialLine: null,
  overpaid: 0,
});

export function evolveDues(state: DuesState, event: DuesEvent): DuesState {
  if (event.type === 'InvoiceIssued') {
    const { lineCount, totalAmount, rosterDigest, frozenAtPosition, issuedOn, backfill, ...terms } =
      event.data;
    const invoice: InvoiceState = {
      terms,
      issuedOn,
      frozenAtPosition,
      rosterDigest,
      ...(backfill ? { backfill } : {}),
      issued: { lineCount, totalAmount },
      lines: [],
      cancelledLines: [],
      activeLineCount: lineCount,
      totalAmount,
      cancelled: null,
      paid: 0,
      allocation: noAllocation(),
      payments: [],
      adjustments: [],
      refunds: [],
      refundedLines: [],
      overpaidRefunded: 0,
      lapses: [],
      reverted: [],
    };
    return { invoices: [...state.invoices, invoice] };
  }
  // Events this fold does not know (a BPJS bill, say) leave the invoices as they are.
  const invoiceId = (event.data as { invoiceId?: InvoiceId } | undefined)?.invoiceId;
  const index = state.invoices.findIndex((i) => i.terms.invoiceId === invoiceId);
  if (index < 0) return state;
  const before = state.invoices[index];
  const after = evolveInvoice(before, event);
  if (after === before) return state;
  const invoices = state.invoices.slice();
  invoices[index] = after;
  return { invoices };
}

function evolveInvoice(invoice: InvoiceState, event: DuesEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceLinesFrozen': {
      // Lines arrive in order within one write; copying keeps earlier states untouched.
      const lines = invoice.lines.slice();
      const { fromLine, enrollmentIds } = event.data;
      for (let i = 0; i < enrollmentIds.length; i++) lines[fromLine + i] = enrollmentIds[i];
      return { ...invoice, lines };
    }
    case 'InvoiceAdjusted': {
      const { adjustmentId, reason, note, addedLines, cancelledLines, amountDelta, adjustedOn } = event.data;
      const cancelled = [...invoice.cancelledLines, ...cancelledLines].sort((a, b) => a - b);
      return {
        ...invoice,
        cancelledLines: cancelled,
        activeLineCount: event.data.lineCountAfter,
        totalAmount: event.data.totalAfter,
        allocation: event.data.allocation ?? invoice.allocation,
        adjustments: [
          ...invoice.adjustments,
          { adjustmentId, reason, note, addedLines, cancelledLines, amountDelta, adjustedOn },
        ],
      };
    }
    case 'InvoiceCancelled':
      return { ...invoice, cancelled: { reason: event.data.reason, cancelledOn: event.data.cancelledOn } };
    case 'PaymentRecorded': {
      const { invoiceId: _id, ...payment } = event.data;
      return {
        ...invoice,
        paid: payment.allocation.paidAfter,
        allocation: payment.allocation,
        payments: [...invoice.payments, payment],
      };
    }
    case 'RefundRecorded': {
      const { invoiceId: _id, ...refund } = event.data;
      return {
        ...invoice,
        refunds: [...invoice.refunds, refund],
        refundedLines: [...invoice.refundedLines, ...refund.lines].sort((a, b) => a - b),
        overpaidRefunded: invoice.overpaidRefunded + refund.overpaidRefunded,
      };
    }
    case 'LapseDecided':
      return { ...invoice, lapses: [...invoice.lapses, { lines: event.data.lines, asOf: event.data.asOf }] };
    case 'LapseReverted': {
      const { lines, asOf, paymentId } = event.data;
      return { ...invoice, reverted: [...invoice.reverted, { lines, asOf, paymentId }] };
    }
    default:
      return invoice;
  }
}

/** The month's invoice that is not cancelled, if any. */
export function currentInvoice(state: DuesState): InvoiceState | null {
  const last = state.invoices[state.invoices.length - 1];
  return last && !last.cancelled ? last : null;
}

/** The month's last invoice, cancelled or not. */
export function latestInvoice(state: DuesState): InvoiceState | null {
  return state.invoices[state.invoices.length - 1] ?? null;
}

export function findInvoice(state: DuesState, invoiceId: InvoiceId): InvoiceState | null {
  return state.invoices.find((i) => i.terms.invoiceId === invoiceId) ?? null;
}

export function invoiceStatus(invoice: InvoiceState): InvoiceStatus {
  if (invoice.cancelled) return 'cancelled';
  if (invoice.paid >= invoice.totalAmount && invoice.totalAmount > 0) return 'paid';
  if (invoice.paid > 0) return 'partly_paid';
  // An invoice with no line owes nothing: it is settled as issued.
  return invoice.totalAmount === 0 ? 'paid' : 'open';
}

/** What is still owed (never negative: an over-payment is `allocation.overpaid`). */
export const outstandingOf = (invoice: InvoiceState): number =>
  invoice.cancelled ? 0 : Math.max(0, invoice.totalAmount - invoice.paid);

/** The over-payment not refunded yet. */
export const refundableOverpaid = (invoice: InvoiceState): number =>
  Math.max(0, invoice.allocation.overpaid - invoice.overpaidRefunded);

function sortedIncludes(sorted: readonly number[], value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** How many of the sorted values are below `value`. */
export function countBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function isLineCancelled(invoice: InvoiceState, line: number): boolean {
  return sortedIncludes(invoice.cancelledLines, line);
}

/** A line's place in allocation order (cancelled lines skipped), or null when it takes no payment. */
export function allocationRankOf(invoice: InvoiceState, line: number): number | null {
  if (line < 0 || line >= invoice.lines.length || isLineCancelled(invoice, line)) return null;
  return line - countBelow(invoice.cancelledLines, line);
}

/** Fully paid: within the first `fullyPaidLines` lines in allocation order. */
export function isLinePaid(invoice: InvoiceState, line: number): boolean {
  const rank = allocationRankOf(invoice, line);
  return rank !== null && rank < invoice.allocation.fullyPaidLines;
}

/** What was paid towards a line: its whole amount, the partial amount, or nothing. */
export function paidAmountOf(invoice: InvoiceState, line: number): number {
  if (isLinePaid(invoice, line)) return invoice.terms.lineAmount;
  const partial = invoice.allocation.partialLine;
  return partial && partial.line === line && !isLineCancelled(invoice, line) ? partial.amount : 0;
}

export function isLineRefunded(invoice: InvoiceState, line: number): boolean {
  return sortedIncludes(invoice.refundedLines, line);
}

export type LineStatus = 'paid' | 'partly_paid' | 'unpaid' | 'cancelled';

/** Every line's status in one pass, for reports over a whole roster. */
export function lineStatuses(invoice: InvoiceState): LineStatus[] {
  const statuses: LineStatus[] = new Array(invoice.lines.length);
  const cancelled = new Set(invoice.cancelledLines);
  const partial = invoice.allocation.partialLine?.line ?? -1;
  let rank = 0;
  for (let line = 0; line < invoice.lines.length; line++) {
    if (cancelled.has(line)) {
      statuses[line] = 'cancelled';
      continue;
    }
    statuses[line] =
      rank < invoice.allocation.fullyPaidLines ? 'paid' : line === partial ? 'partly_paid' : 'unpaid';
    rank++;
  }
  return statuses;
}

/** Lines that owe and are not fully paid (the partly paid line included), in line order. */
export function unpaidLines(invoice: InvoiceState): number[] {
  if (invoice.cancelled) return [];
  const result: number[] = [];
  lineStatuses(invoice).forEach((s, line) => {
    if (s === 'unpaid' || s === 'partly_paid') result.push(line);
  });
  return result;
}

/**
 * Lines that may be refunded once their coverage turns out not to owe the month: fully paid
 * and not refunded yet. Whether the coverage still owes it is read from the enrollments.
 */
export function refundableCandidates(invoice: InvoiceState): number[] {
  const refunded = new Set(invoice.refundedLines);
  const result: number[] = [];
  lineStatuses(invoice).forEach((s, line) => {
    if (s === 'paid' && !refunded.has(line)) result.push(line);
  });
  return result;
}

/**
 * Allocates `paid` over the lines in order, `lineAmount` each, `activeLines` of them (line
 * indices, cancelled lines left out): whole lines first, the remainder on the next line, what
 * is beyond the total kept as an over-payment.
 */
export function allocate(
  paidBefore: number,
  paidAfter: number,
  activeLines: readonly number[],
  lineAmount: number,
): Allocation {
  const total = activeLines.length * lineAmount;
  const fullyPaidLines =
    lineAmount > 0 ? Math.min(activeLines.length, Math.floor(paidAfter / lineAmount)) : activeLines.length;
  const remainder = Math.min(paidAfter, total) - fullyPaidLines * lineAmount;
  return {
    paidBefore,
    paidAfter,
    fullyPaidLines,
    partialLine: remainder > 0 ? { line: activeLines[fullyPaidLines], amount: remainder } : null,
    overpaid: Math.max(0, paidAfter - total),
  };
}

/** The lines that take payment, in line order. */
export function activeLines(invoice: InvoiceState): number[] {
  const cancelled = new Set(invoice.cancelledLines);
  const result: number[] = [];
  for (let line = 0; line < invoice.lines.length; line++) if (!cancelled.has(line)) result.push(line);
  return result;
}

/** The month an invoice is for, and its program, from its id (`<programId>_<YYYY-MM>[_n]`). */
export function parseInvoiceId(
  invoiceId: string,
): { programId: string; month: YearMonth; sequence: number } | null {
  const match = /^(.+)_(\d{4}-(?:0[1-9]|1[0-2]))(?:_([2-9]|[1-9]\d+))?$/.exec(invoiceId);
  if (!match) return null;
  return { programId: match[1], month: match[2], sequence: match[3] ? Number(match[3]) : 1 };
}

export function invoiceIdOf(programId: string, month: YearMonth, sequence: number): InvoiceId {
  return sequence <= 1 ? `${programId}_${month}` : `${programId}_${month}_${sequence}`;
}
