import { invoiceStatus, outstandingOf, refundableOverpaid, type InvoiceState } from './dues.state';

/**
 * An invoice as the API shows it: its terms, the control totals as issued and after the
 * adjustments, its status and money. The lines themselves (enrollment ids) are not listed:
 * a roster can hold hundreds of thousands.
 */
export function invoiceView(invoice: InvoiceState) {
  const refunded = invoice.refunds.reduce((sum, r) => sum + r.amount, 0);
  return {
    ...invoice.terms,
    issuedOn: invoice.issuedOn,
    frozenAtPosition: invoice.frozenAtPosition,
    rosterDigest: invoice.rosterDigest,
    backfill: invoice.backfill ?? null,
    issued: invoice.issued,
    lineCount: invoice.activeLineCount,
    cancelledLineCount: invoice.cancelledLines.length,
    totalAmount: invoice.totalAmount,
    status: invoiceStatus(invoice),
    paid: invoice.paid,
    outstanding: outstandingOf(invoice),
    overpaid: invoice.allocation.overpaid,
    refunded,
    refundableOverpaid: refundableOverpaid(invoice),
    allocation: invoice.allocation,
    cancelled: invoice.cancelled,
    payments: invoice.payments.map((p) => ({
      paymentId: p.paymentId,
      amount: p.amount,
      paidOn: p.paidOn,
      reference: p.reference,
      sp2dNumber: p.sp2dNumber,
      late: p.paidOn > invoice.terms.dueDate,
      allocation: p.allocation,
      backfill: p.backfill ?? null,
    })),
    adjustments: invoice.adjustments,
    refunds: invoice.refunds,
  };
}

export type InvoiceView = ReturnType<typeof invoiceView>;
