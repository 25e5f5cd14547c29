import { RuleViolation } from '../shared/rule-violation';
import { decideNamedSp2d, type NamedSp2d } from './payment-sp2d';

const payment = { invoiceId: 'p1_2026-01', paymentId: 'pay1', amount: 33_600, paidOn: '2026-02-03' };
const found = (over: Partial<NamedSp2d> = {}): NamedSp2d => ({
  number: '002/SP2D-LS/2026',
  programId: 'p1',
  fiscalYear: 2026,
  cancelled: false,
  revision: 7,
  ...over,
});
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleViolation) return { rule: error.rule, errors: error.reasons };
    throw error;
  }
  return null;
};

describe('a payment naming its SP2D', () => {
  it('notes the payment on the SP2D’s treasury stream', () =>
    expect(decideNamedSp2d(' 002/sp2d-ls/2026', found(), payment)).toEqual([
      {
        streamId: 'treasury-p1_2026',
        event: {
          type: 'Sp2dNamedByPayment',
          data: { programId: 'p1', fiscalYear: 2026, sp2dNumber: '002/SP2D-LS/2026', ...payment },
        },
      },
    ]));

  it('an SP2D the region never recorded, or one cancelled, is refused naming sp2dNumber', () => {
    expect(refusal(() => decideNamedSp2d('999/SP2D', null, payment))).toMatchObject({
      rule: 'payment.sp2d.unknown',
      errors: [expect.objectContaining({ field: 'sp2dNumber' })],
    });
    expect(
      refusal(() => decideNamedSp2d('002/SP2D-LS/2026', found({ cancelled: true }), payment)),
    ).toMatchObject({
      rule: 'payment.sp2d.cancelled',
      errors: [expect.objectContaining({ field: 'sp2dNumber' })],
    });
  });
});
