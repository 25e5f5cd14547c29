import { LINE, invoiceOf, issuedEvents, paymentEvent, ruleOf } from '../dues.examples';
import { decideCancelInvoice, type CancelInvoice } from './cancel-invoice.decider';

const command: CancelInvoice = {
  type: 'CancelInvoice',
  reason: 'Bulan salah',
  cancelledOn: '2025-10-02',
  today: '2025-10-02',
};

describe('cancelling an invoice', () => {
  it('cancels an invoice that took no payment', () =>
    expect(decideCancelInvoice(command, invoiceOf(issuedEvents(['e1'])))).toEqual([
      {
        type: 'InvoiceCancelled',
        data: { invoiceId: 'p1_2025-10', reason: 'Bulan salah', cancelledOn: '2025-10-02' },
      },
    ]));

  it('refuses an invoice with a payment, one already cancelled, and a future day', () => {
    expect(
      ruleOf(() =>
        decideCancelInvoice(command, invoiceOf([...issuedEvents(['e1']), paymentEvent(0, LINE, [0])])),
      ),
    ).toBe('invoice.hasPayments');
    const once = [...issuedEvents(['e1']), ...decideCancelInvoice(command, invoiceOf(issuedEvents(['e1'])))];
    expect(ruleOf(() => decideCancelInvoice(command, invoiceOf(once)))).toBe('invoice.cancelled');
    expect(
      ruleOf(() =>
        decideCancelInvoice({ ...command, cancelledOn: '2025-10-03' }, invoiceOf(issuedEvents(['e1']))),
      ),
    ).toBe('cancelledOn.future');
  });
});
