import { LINE, invoiceOf, issuedEvents, paymentEvent, ruleOf } from '../dues.examples';
import { isLinePaid, paidAmountOf } from '../dues.state';
import {
  decideRecordPayment,
  normaliseReference,
  referenceKeyOf,
  type RecordPayment,
} from './record-payment.decider';

const command = (over: Partial<RecordPayment> = {}): RecordPayment => ({
  type: 'RecordPayment',
  paymentId: 'pay1',
  amount: 2 * LINE + 100,
  paidOn: '2025-10-14',
  reference: ' va 8800 12 ',
  sp2dNumber: null,
  today: '2025-10-15',
  role: 'finance',
  backfillToleranceDays: 7,
  referenceUsed: false,
  ...over,
});

describe('recording a payment', () => {
  const open = invoiceOf(issuedEvents(['e1', 'e2', 'e3']));

  it('allocates in line order and claims the normalised reference in the same write', () =>
    expect(decideRecordPayment(command(), open)).toEqual([
      {
        streamId: 'dues-p1_2025-10',
        event: {
          type: 'PaymentRecorded',
          data: {
            invoiceId: 'p1_2025-10',
            paymentId: 'pay1',
            amount: 2 * LINE + 100,
            paidOn: '2025-10-14',
            reference: 'VA880012',
            sp2dNumber: null,
            allocation: {
              paidBefore: 0,
              paidAfter: 2 * LINE + 100,
              fullyPaidLines: 2,
              partialLine: { line: 2, amount: 100 },
              overpaid: 0,
            },
          },
        },
      },
      {
        streamId: `payref-${referenceKeyOf('VA880012')}`,
        event: { type: 'PaymentReferenceUsed', data: { invoiceId: 'p1_2025-10', paymentId: 'pay1' } },
      },
    ]));

  it('a second payment continues where the first stopped; beyond the total is an over-payment', () => {
    const paid = invoiceOf([...issuedEvents(['e1', 'e2', 'e3']), paymentEvent(0, 2 * LINE + 100, [0, 1, 2])]);
    const [recorded] = decideRecordPayment(command({ amount: LINE + 500 }), paid);
    const after = invoiceOf([
      ...issuedEvents(['e1', 'e2', 'e3']),
      paymentEvent(0, 2 * LINE + 100, [0, 1, 2]),
      recorded.event as never,
    ]);
    expect(after.allocation).toEqual({
      paidBefore: 2 * LINE + 100,
      paidAfter: 3 * LINE + 600,
      fullyPaidLines: 3,
      partialLine: null,
      overpaid: 600,
    });
    expect([0, 1, 2].map((l) => isLinePaid(after, l))).toEqual([true, true, true]);
    expect(paidAmountOf(after, 2)).toBe(LINE);
  });

  it('normalises references: trimmed, upper-cased, inner spaces removed', () => {
    expect(normaliseReference('  va 8800\t12 ')).toBe('VA880012');
  });

  it('refuses bad amounts, a future day, a used reference, a cancelled invoice and an unmarked past day', () => {
    expect(ruleOf(() => decideRecordPayment(command({ amount: -1 }), open))).toBe('amount.positive');
    expect(ruleOf(() => decideRecordPayment(command({ amount: 0 }), open))).toBe('amount.positive');
    expect(ruleOf(() => decideRecordPayment(command({ amount: 1.5 }), open))).toBe('amount.integer');
    expect(ruleOf(() => decideRecordPayment(command({ amount: Number.MAX_SAFE_INTEGER + 1 }), open))).toBe(
      'amount.integer',
    );
    expect(ruleOf(() => decideRecordPayment(command({ reference: ' ' }), open))).toBe('reference.required');
    expect(ruleOf(() => decideRecordPayment(command({ paidOn: '2025-10-16' }), open))).toBe('paidOn.future');
    expect(ruleOf(() => decideRecordPayment(command({ referenceUsed: true }), open))).toBe(
      'payment.reference.duplicate',
    );
    const cancelled = invoiceOf([
      ...issuedEvents(['e1']),
      {
        type: 'InvoiceCancelled',
        data: { invoiceId: 'p1_2025-10', reason: 'salah', cancelledOn: '2025-10-02' },
      },
    ]);
    expect(ruleOf(() => decideRecordPayment(command(), cancelled))).toBe('invoice.cancelled');
    // Beyond the tolerance a payment is a backfill: finance records it with a reason, the
    // program admin too; any other role may not.
    expect(ruleOf(() => decideRecordPayment(command({ paidOn: '2025-10-01' }), open))).toBe(
      'backfill.reasonRequired',
    );
    expect(
      ruleOf(() => decideRecordPayment(command({ paidOn: '2025-10-01', role: 'village_operator' }), open)),
    ).toBe('backfill.forbidden');
  });

  it('a payment made weeks ago is recorded by finance as a late report, marked in the event', () => {
    const late = { reason: 'late_report' as const, note: 'SP2D bulan lalu' };
    for (const role of ['finance', 'program_admin']) {
      const [payment] = decideRecordPayment(command({ paidOn: '2025-09-20', role, backfill: late }), open);
      expect(payment.event.data).toMatchObject({ paidOn: '2025-09-20', backfill: late });
    }
    // Within the tolerance no marker is written, even when a reason is given.
    const [recent] = decideRecordPayment(command({ paidOn: '2025-10-10', backfill: late }), open);
    expect(recent.event.data).not.toHaveProperty('backfill');
  });
});
