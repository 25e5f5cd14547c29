import { LINE, invoiceOf, issuedEvents, paymentEvent, ruleOf } from '../dues.examples';
import { lineStatuses } from '../dues.state';
import { decideAdjustInvoice, type AdjustInvoice } from './adjust-invoice.decider';

const command = (roster: string[], over: Partial<AdjustInvoice> = {}): AdjustInvoice => ({
  type: 'AdjustInvoice',
  adjustmentId: 'adj1',
  reason: 'Daftar diperbarui',
  note: null,
  adjustedOn: '2025-10-20',
  today: '2025-10-20',
  roster,
  ...over,
});

describe('adjusting an invoice to the roster known now', () => {
  const issued = issuedEvents(['e1', 'e2', 'e3']);

  it('adds the coverages learned since at the end and cancels the unpaid lines no longer owed', () => {
    const events = decideAdjustInvoice(command(['e1', 'e3', 'e4', 'e5']), invoiceOf(issued));
    expect(events).toEqual([
      {
        type: 'InvoiceAdjusted',
        data: {
          invoiceId: 'p1_2025-10',
          adjustmentId: 'adj1',
          reason: 'Daftar diperbarui',
          note: null,
          addedLines: 2,
          cancelledLines: [1],
          amountDelta: LINE,
          lineCountAfter: 4,
          totalAfter: 4 * LINE,
          adjustedOn: '2025-10-20',
        },
      },
      {
        type: 'InvoiceLinesFrozen',
        data: { invoiceId: 'p1_2025-10', fromLine: 3, enrollmentIds: ['e4', 'e5'] },
      },
    ]);
    const after = invoiceOf([...issued, ...events]);
    expect(after.lines).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(lineStatuses(after)).toEqual(['unpaid', 'cancelled', 'unpaid', 'unpaid', 'unpaid']);
    expect(after.totalAmount).toBe(4 * LINE);
  });

  it('keeps a fully paid line no longer owed (it is refunded instead) and reallocates what was paid', () => {
    // e1 and e2 paid, e3 partly; e1 and e3 turn out not to owe the month, e4 does.
    const paid = [...issued, paymentEvent(0, 2 * LINE + 1_000, [0, 1, 2])];
    const events = decideAdjustInvoice(command(['e2', 'e4']), invoiceOf(paid));
    expect(events[0].data).toMatchObject({
      addedLines: 1,
      cancelledLines: [2],
      amountDelta: 0,
      // Lines 0, 1 and 3 owe now: the money pays 0 and 1 and goes on to the new line.
      allocation: {
        paidBefore: 2 * LINE + 1_000,
        paidAfter: 2 * LINE + 1_000,
        fullyPaidLines: 2,
        partialLine: { line: 3, amount: 1_000 },
        overpaid: 0,
      },
    });
    expect(lineStatuses(invoiceOf([...paid, ...events]))).toEqual([
      'paid',
      'paid',
      'cancelled',
      'partly_paid',
    ]);
  });

  it('nothing to adjust: no event', () => {
    expect(decideAdjustInvoice(command(['e1', 'e2', 'e3']), invoiceOf(issued))).toEqual([]);
  });

  it('a cancelled line owed again gets a new line', () => {
    const events = decideAdjustInvoice(command(['e1', 'e3']), invoiceOf(issued));
    const again = decideAdjustInvoice(
      command(['e1', 'e2', 'e3'], { adjustmentId: 'adj2' }),
      invoiceOf([...issued, ...events]),
    );
    expect(again[0].data).toMatchObject({ addedLines: 1, cancelledLines: [] });
    expect(again[1].data).toEqual({ invoiceId: 'p1_2025-10', fromLine: 3, enrollmentIds: ['e2'] });
  });

  it('refuses a cancelled invoice and a future day', () => {
    const cancelled = [
      ...issued,
      {
        type: 'InvoiceCancelled' as const,
        data: { invoiceId: 'p1_2025-10', reason: 'salah', cancelledOn: '2025-10-02' },
      },
    ];
    expect(ruleOf(() => decideAdjustInvoice(command(['e1']), invoiceOf(cancelled)))).toBe(
      'invoice.cancelled',
    );
    expect(
      ruleOf(() => decideAdjustInvoice(command(['e1'], { adjustedOn: '2025-10-21' }), invoiceOf(issued))),
    ).toBe('adjustedOn.future');
  });
});
