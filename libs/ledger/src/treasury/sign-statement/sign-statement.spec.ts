import { RuleViolation } from '../../shared/rule-violation';
import {
  decideSignStatement,
  evolveStatement,
  initialStatementState,
  periodEnd,
  type SignStatement,
} from './sign-statement.decider';
import { statementStream } from './statement.events';

const command = (over: Partial<SignStatement> = {}): SignStatement => ({
  type: 'SignStatement',
  statementId: 's2',
  programId: 'p1',
  ownerRegion: '1603',
  payer: null,
  period: '2026-01',
  signedOn: '2026-02-10',
  today: '2026-02-12',
  signer: { position: 'Kabid Perbendaharaan' },
  counterparty: 'BPJS Ketenagakerjaan Cabang Prabumulih',
  reason: null,
  figures: { roster: 33_600, billed: 33_600, disbursed: 0 },
  lines: [
    { code: 'INVOICE_UNPAID', month: '2026-01', invoiceId: 'p1_2026-01', sp2dNumbers: [], amount: 33_600 },
  ],
  readPosition: 40,
  ...over,
});

const ruleOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleViolation) return error.rule;
    throw error;
  }
  return 'none';
};

describe('signing a reconciliation statement', () => {
  it('freezes the figures and lines on the period’s stream, superseding nothing the first time', () => {
    const [signed] = decideSignStatement(command(), initialStatementState());
    expect(signed.streamId).toBe(statementStream('p1', null, '2026-01'));
    expect(signed.event.data).toMatchObject({
      statementId: 's2',
      figures: { roster: 33_600, billed: 33_600, disbursed: 0 },
      supersedes: null,
      reason: null,
    });
  });

  it('keeps the signer’s office and the counterparty’s institution, never a person’s name', () => {
    const signer = { position: 'Kabid Perbendaharaan', name: 'Rosmala Dewi' } as SignStatement['signer'];
    const [signed] = decideSignStatement(command({ signer }), initialStatementState());
    expect(signed.event.data.signer).toEqual({ position: 'Kabid Perbendaharaan' });
    expect(signed.event.data.counterparty).toBe('BPJS Ketenagakerjaan Cabang Prabumulih');
    expect(JSON.stringify(signed.event)).not.toContain('Rosmala');
  });

  it('a period signed already is refused without a reason, and superseded with one', () => {
    const [first] = decideSignStatement(command({ statementId: 's1' }), initialStatementState());
    const state = evolveStatement(initialStatementState(), first.event);
    expect(ruleOf(() => decideSignStatement(command(), state))).toBe('statement.alreadySigned');
    const [again] = decideSignStatement(command({ reason: 'SP2D susulan' }), state);
    expect(again.event.data).toMatchObject({ supersedes: 's1', reason: 'SP2D susulan' });
  });

  it('a period not ended, or a day in the future, cannot be signed', () => {
    expect(
      ruleOf(() => decideSignStatement(command({ signedOn: '2026-01-31' }), initialStatementState())),
    ).toBe('statement.period.notEnded');
    expect(
      ruleOf(() => decideSignStatement(command({ signedOn: '2026-02-13' }), initialStatementState())),
    ).toBe('signedOn.future');
    expect(ruleOf(() => decideSignStatement(command({ period: '2026' }), initialStatementState()))).toBe(
      'statement.period.notEnded',
    );
  });

  it('each payer and period has its own stream; a period ends on its last day', () => {
    expect(statementStream('p1', 'Kab. A', '2026-01')).not.toBe(statementStream('p1', null, '2026-01'));
    expect(periodEnd('2024-02')).toBe('2024-02-29');
    expect(periodEnd('2026')).toBe('2026-12-31');
  });
});
