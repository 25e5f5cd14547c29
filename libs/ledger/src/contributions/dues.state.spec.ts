import type { DuesEvent, InvoiceTerms } from './contribution.events';
import {
  allocate,
  currentInvoice,
  evolveDues,
  initialDuesState,
  invoiceStatus,
  isLinePaid,
  lineStatuses,
  outstandingOf,
  paidAmountOf,
  parseInvoiceId,
  refundableCandidates,
  unpaidLines,
} from './dues.state';

const terms: InvoiceTerms = {
  invoiceId: 'p1_2025-10',
  programId: 'p1',
  month: '2025-10',
  payer: '1603',
  ownerRegion: '1603',
  benefitPackage: 'JKK_JKM',
  breakdown: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
  lineAmount: 16_800,
  dueDate: '2025-10-15',
  monthRule: 'any_day',
};
const issued: DuesEvent[] = [
  {
    type: 'InvoiceIssued',
    data: {
      ...terms,
      lineCount: 4,
      totalAmount: 67_200,
      rosterDigest: 'x',
      frozenAtPosition: 10,
      issuedOn: '2025-10-01',
    },
  },
  {
    type: 'InvoiceLinesFrozen',
    data: { invoiceId: terms.invoiceId, fromLine: 0, enrollmentIds: ['a', 'b'] },
  },
  {
    type: 'InvoiceLinesFrozen',
    data: { invoiceId: terms.invoiceId, fromLine: 2, enrollmentIds: ['c', 'd'] },
  },
];
const fold = (events: DuesEvent[]) => events.reduce(evolveDues, initialDuesState());
const payment = (paidBefore: number, amount: number, activeLines = [0, 1, 2, 3]): DuesEvent => ({
  type: 'PaymentRecorded',
  data: {
    invoiceId: terms.invoiceId,
    paymentId: `pay${paidBefore}`,
    amount,
    paidOn: '2025-10-10',
    reference: `REF${paidBefore}`,
    sp2dNumber: null,
    allocation: allocate(paidBefore, paidBefore + amount, activeLines, 16_800),
  },
});

describe('the fold of a dues stream', () => {
  it('holds the frozen lines in order and owes the total until paid', () => {
    const invoice = currentInvoice(fold(issued))!;
    expect(invoice.lines).toEqual(['a', 'b', 'c', 'd']);
    expect(invoiceStatus(invoice)).toBe('open');
    expect(outstandingOf(invoice)).toBe(67_200);
    expect(unpaidLines(invoice)).toEqual([0, 1, 2, 3]);
  });

  it('allocates a partial payment in line order: whole lines, then the remainder on the next', () => {
    const invoice = currentInvoice(fold([...issued, payment(0, 40_000)]))!;
    expect(invoice.allocation).toEqual({
      paidBefore: 0,
      paidAfter: 40_000,
      fullyPaidLines: 2,
      partialLine: { line: 2, amount: 6_400 },
      overpaid: 0,
    });
    expect([0, 1, 2, 3].map((l) => isLinePaid(invoice, l))).toEqual([true, true, false, false]);
    expect([0, 1, 2, 3].map((l) => paidAmountOf(invoice, l))).toEqual([16_800, 16_800, 6_400, 0]);
    expect(lineStatuses(invoice)).toEqual(['paid', 'paid', 'partly_paid', 'unpaid']);
    expect(invoiceStatus(invoice)).toBe('partly_paid');
    expect(outstandingOf(invoice)).toBe(67_200 - 40_000);
    expect(refundableCandidates(invoice)).toEqual([0, 1]);
  });

  it('keeps an over-payment apart and skips cancelled lines', () => {
    const adjusted: DuesEvent = {
      type: 'InvoiceAdjusted',
      data: {
        invoiceId: terms.invoiceId,
        adjustmentId: 'adj1',
        reason: 'roster',
        note: null,
        addedLines: 0,
        cancelledLines: [1],
        amountDelta: -16_800,
        lineCountAfter: 3,
        totalAfter: 50_400,
        adjustedOn: '2025-10-05',
      },
    };
    const invoice = currentInvoice(fold([...issued, adjusted, payment(0, 60_000, [0, 2, 3])]))!;
    expect(lineStatuses(invoice)).toEqual(['paid', 'cancelled', 'paid', 'paid']);
    expect(invoice.allocation.overpaid).toBe(60_000 - 50_400);
    expect(invoiceStatus(invoice)).toBe('paid');
    expect(outstandingOf(invoice)).toBe(0);
  });

  it('a cancelled invoice is not the current one', () => {
    const state = fold([
      ...issued,
      {
        type: 'InvoiceCancelled',
        data: { invoiceId: terms.invoiceId, reason: 'salah', cancelledOn: '2025-10-02' },
      },
    ]);
    expect(currentInvoice(state)).toBeNull();
    expect(invoiceStatus(state.invoices[0])).toBe('cancelled');
  });

  it('reads program and month from an invoice id', () => {
    expect(parseInvoiceId('prog_x_2025-10')).toEqual({ programId: 'prog_x', month: '2025-10', sequence: 1 });
    expect(parseInvoiceId('p1_2025-10_2')).toEqual({ programId: 'p1', month: '2025-10', sequence: 2 });
    expect(parseInvoiceId('p1_2025-13')).toBeNull();
  });
});
