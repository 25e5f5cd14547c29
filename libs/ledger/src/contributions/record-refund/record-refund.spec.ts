import type { DuesEvent } from '../contribution.events';
import { LINE, invoiceOf, issuedEvents, paymentEvent, ruleOf } from '../dues.examples';
import { refundableCandidates } from '../dues.state';
import { decideRecordRefund, type RecordRefund } from './record-refund.decider';

/** October's coverage: e1 died on 15 September (a duplicate line), e2 and e3 are covered. */
const coverages = new Map([
  ['e1', { from: '2025-09-01', to: '2025-09-15' }],
  ['e2', { from: '2025-09-01', to: '2025-12-31' }],
  ['e3', { from: '2025-09-01', to: '2025-12-31' }],
]);
const command = (lines: number[], over: Partial<RecordRefund> = {}): RecordRefund => ({
  type: 'RecordRefund',
  refundId: 'r1',
  lines,
  includeOverpaid: false,
  reason: 'deceased',
  reference: 'BA-1',
  agreedOn: '2025-11-01',
  today: '2025-11-01',
  role: 'finance',
  backfillToleranceDays: 7,
  coverages,
  ...over,
});

describe('recording a refund', () => {
  const paid: DuesEvent[] = [...issuedEvents(['e1', 'e2', 'e3']), paymentEvent(0, 3 * LINE + 700, [0, 1, 2])];

  it('agreed beyond the tolerance it is a backfill: finance records it with a reason, marked in the event', () => {
    const late = { agreedOn: '2025-10-20' as const };
    expect(ruleOf(() => decideRecordRefund(command([0], late), invoiceOf(paid)))).toBe(
      'backfill.reasonRequired',
    );
    expect(ruleOf(() => decideRecordRefund(command([0], { ...late, role: 'viewer' }), invoiceOf(paid)))).toBe(
      'backfill.forbidden',
    );
    const backfill = { reason: 'late_report' as const, note: 'BA bulan lalu' };
    const [refund] = decideRecordRefund(command([0], { ...late, backfill }), invoiceOf(paid));
    expect(refund.data).toMatchObject({ agreedOn: '2025-10-20', backfill });
    // Within the tolerance no marker is written.
    const [recent] = decideRecordRefund(command([0], { agreedOn: '2025-10-28', backfill }), invoiceOf(paid));
    expect(recent.data).not.toHaveProperty('backfill');
  });

  it('refunds a paid line whose coverage no longer owes the month, with the over-payment when asked', () => {
    const events = decideRecordRefund(command([0], { includeOverpaid: true }), invoiceOf(paid));
    expect(events).toEqual([
      {
        type: 'RefundRecorded',
        data: {
          invoiceId: 'p1_2025-10',
          refundId: 'r1',
          lines: [0],
          amount: LINE + 700,
          overpaidRefunded: 700,
          reason: 'deceased',
          reference: 'BA-1',
          agreedOn: '2025-11-01',
        },
      },
    ]);
    const after = invoiceOf([...paid, ...events]);
    expect(refundableCandidates(after)).toEqual([1, 2]);
    expect(after.overpaidRefunded).toBe(700);
  });

  it('refuses, naming them, lines still owed, unpaid, unknown or refunded before', () => {
    const refused = (lines: number[], events = paid) => {
      try {
        decideRecordRefund(command(lines), invoiceOf(events));
      } catch (error) {
        return (error as { rule: string; details: { lines: number[] } }).details.lines;
      }
      return null;
    };
    expect(refused([0, 1])).toEqual([1]);
    expect(refused([0, 7])).toEqual([7]);
    const unpaid = [...issuedEvents(['e1', 'e2', 'e3']), paymentEvent(0, LINE - 1, [0, 1, 2])];
    expect(refused([0], unpaid)).toEqual([0]);
    const once = [...paid, ...decideRecordRefund(command([0]), invoiceOf(paid))];
    expect(refused([0], once)).toEqual([0]);
  });

  it('refuses nothing to refund, a repeated line, a future agreement', () => {
    expect(ruleOf(() => decideRecordRefund(command([]), invoiceOf(paid)))).toBe('refund.nothing');
    expect(ruleOf(() => decideRecordRefund(command([0, 0]), invoiceOf(paid)))).toBe('refund.lines.unique');
    expect(ruleOf(() => decideRecordRefund(command([0], { agreedOn: '2025-11-02' }), invoiceOf(paid)))).toBe(
      'agreedOn.future',
    );
  });
});
