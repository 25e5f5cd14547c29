import type { Allocation } from '@ledger/ledger/contributions/contribution.events';
import type { GivenEvent } from '../../testing/given-events';
import { enrollment, PROGRAM } from '../../testing/ledger-events';

/**
 * Dues events as the write side appends them, for finance specs: plain data, with the
 * allocation computed by the rule payments follow (lines in order, cancelled ones skipped).
 */
export const LINE = 16_800;

export const invoiceIdOf = (month: string, programId = PROGRAM, n = 1) =>
  `${programId}_${month}${n > 1 ? `_${n}` : ''}`;
const stream = (invoiceId: string) => `dues-${invoiceId.split('_').slice(0, 2).join('_')}`;

export function issued(
  month: string,
  enrollments: number[],
  options: { issuedOn?: string; dueDate?: string; programId?: string; n?: number; payer?: string } = {},
): GivenEvent[] {
  const programId = options.programId ?? PROGRAM;
  const invoiceId = invoiceIdOf(month, programId, options.n);
  return [
    {
      stream: stream(invoiceId),
      type: 'InvoiceIssued',
      data: {
        invoiceId,
        programId,
        month,
        payer: options.payer ?? 'regency',
        ownerRegion: '1603',
        benefitPackage: 'JKK_JKM',
        breakdown: { jkk: 10_000, jkm: 6_800, jht: 0, total: LINE },
        lineAmount: LINE,
        dueDate: options.dueDate ?? `${month}-15`,
        monthRule: 'any_day',
        lineCount: enrollments.length,
        totalAmount: enrollments.length * LINE,
        rosterDigest: 'd'.repeat(64),
        frozenAtPosition: 1,
        issuedOn: options.issuedOn ?? `${month}-02`,
      },
    },
    {
      stream: stream(invoiceId),
      type: 'InvoiceLinesFrozen',
      data: { invoiceId, fromLine: 0, enrollmentIds: enrollments.map(enrollment) },
    },
  ];
}

/** The allocation of `paidAfter` over `activeLines` lines of `LINE` each. */
export function allocationOf(
  paidBefore: number,
  paidAfter: number,
  activeLines: number[],
  total: number,
): Allocation {
  const fully = Math.min(activeLines.length, Math.floor(paidAfter / LINE));
  const rest = paidAfter - fully * LINE;
  return {
    paidBefore,
    paidAfter,
    fullyPaidLines: fully,
    partialLine: fully < activeLines.length && rest > 0 ? { line: activeLines[fully], amount: rest } : null,
    overpaid: Math.max(0, paidAfter - total),
  };
}

let payments = 0;

export function paid(
  invoiceId: string,
  amount: number,
  paidOn: string,
  before: number,
  activeLines: number[],
): GivenEvent {
  payments += 1;
  return {
    stream: stream(invoiceId),
    type: 'PaymentRecorded',
    data: {
      invoiceId,
      paymentId: `pay-${payments}`,
      amount,
      paidOn,
      reference: `VA-${payments}`,
      sp2dNumber: null,
      allocation: allocationOf(before, before + amount, activeLines, activeLines.length * LINE),
    },
  };
}

export function adjusted(
  invoiceId: string,
  adjustedOn: string,
  change: { cancelled: number[]; activeAfter: number[]; paid: number },
): GivenEvent {
  const total = change.activeAfter.length * LINE;
  return {
    stream: stream(invoiceId),
    type: 'InvoiceAdjusted',
    data: {
      invoiceId,
      adjustmentId: `adj-${adjustedOn}`,
      reason: 'deceased',
      note: null,
      addedLines: 0,
      cancelledLines: change.cancelled,
      amountDelta: -change.cancelled.length * LINE,
      lineCountAfter: change.activeAfter.length,
      totalAfter: total,
      adjustedOn,
      ...(change.paid > 0
        ? { allocation: allocationOf(change.paid, change.paid, change.activeAfter, total) }
        : {}),
    },
  };
}

export const cancelled = (invoiceId: string, cancelledOn: string): GivenEvent => ({
  stream: stream(invoiceId),
  type: 'InvoiceCancelled',
  data: { invoiceId, reason: 'salah terbit', cancelledOn },
});

export const refunded = (
  invoiceId: string,
  agreedOn: string,
  lines: number[],
  overpaidRefunded: number,
  reason = 'deceased',
): GivenEvent => ({
  stream: stream(invoiceId),
  type: 'RefundRecorded',
  data: {
    invoiceId,
    refundId: `ref-${agreedOn}-${lines.join('-')}`,
    lines,
    amount: lines.length * LINE + overpaidRefunded,
    overpaidRefunded,
    reason,
    reference: null,
    agreedOn,
  },
});

export const lapsed = (n: number, effectiveDate: string, coverageFrom: string): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'CoverageLapsed',
  data: {
    enrollmentId: enrollment(n),
    programId: PROGRAM,
    participantId: `p-${n}`,
    coverageFrom,
    effectiveDate,
    unpaidMonths: [],
    decidedOn: effectiveDate,
    villageCode: '1603012011',
    occupation: 'petani',
    sex: 'P',
    birthYear: 1980,
  },
});

export const billed = (
  invoiceId: string,
  receivedOn: string,
  amount: number,
  version: number,
): GivenEvent => ({
  stream: stream(invoiceId),
  type: 'BpjsBillRecorded',
  data: {
    invoiceId,
    billId: `bill-${version}`,
    version,
    source: 'totals',
    file: null,
    receivedOn,
    billed: { participants: amount / LINE, amount },
    invoiced: { participants: 4, amount: 4 * LINE },
    difference: { participants: amount / LINE - 4, amount: amount - 4 * LINE },
    differenceCounts: {},
    lineCount: 0,
    matchedRows: 0,
  },
});
