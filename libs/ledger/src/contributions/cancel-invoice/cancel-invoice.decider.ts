import { checkNotFuture } from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import type { DuesEvent } from '../contribution.events';
import type { InvoiceState } from '../dues.state';
import { requireNotCancelled } from '../record-payment/record-payment.decider';

export interface CancelInvoice {
  type: 'CancelInvoice';
  reason: string;
  cancelledOn: IsoDate;
  today: IsoDate;
}

/**
 * Withdraws an invoice that took no payment (money received is settled by refunds, never by
 * cancelling the bill it paid). The month may then be issued again, as `<id>_2`.
 */
export function decideCancelInvoice(command: CancelInvoice, invoice: InvoiceState): DuesEvent[] {
  requireNotCancelled(invoice);
  if (invoice.payments.length > 0) {
    throw new RuleViolation(
      'invoice.hasPayments',
      'Tagihan yang sudah menerima pembayaran tidak dapat dibatalkan',
      'conflict',
      { invoiceId: invoice.terms.invoiceId, paid: invoice.paid },
    );
  }
  checkNotFuture('cancelledOn', command.cancelledOn, command.today);
  return [
    {
      type: 'InvoiceCancelled',
      data: { invoiceId: invoice.terms.invoiceId, reason: command.reason, cancelledOn: command.cancelledOn },
    },
  ];
}
