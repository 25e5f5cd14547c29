import { ruleOf } from '../../contributions/dues.examples';
import { ACCOUNT, PROGRAM, STREAM, lineSet, treasuryOf } from '../treasury.examples';
import { treasuryStreams } from '../treasury.streams';
import { decideRecordSpp, type RecordSpp } from './record-spp.decider';

const command = (over: Partial<RecordSpp> = {}): RecordSpp => ({
  type: 'RecordSpp',
  programId: PROGRAM,
  regionCode: '1603',
  number: 'SPP-1',
  date: '2026-01-10',
  amount: 500_000_000,
  accountCode: ACCOUNT,
  numberUsed: false,
  ...over,
});

describe('recording an SPP', () => {
  const budgeted = treasuryOf([lineSet(1_000_000_000)]);

  it('records it on the year stream and claims its number in the regency and year', () =>
    expect(decideRecordSpp(command(), budgeted)).toEqual([
      {
        streamId: STREAM,
        event: {
          type: 'SppRecorded',
          data: {
            programId: PROGRAM,
            fiscalYear: 2026,
            number: 'SPP-1',
            date: '2026-01-10',
            amount: 500_000_000,
            accountCode: ACCOUNT,
          },
        },
      },
      {
        streamId: treasuryStreams.number('1603', 2026, 'spp', 'SPP-1'),
        event: {
          type: 'TreasuryNumberClaimed',
          data: { regionCode: '1603', fiscalYear: 2026, kind: 'spp', number: 'SPP-1', programId: PROGRAM },
        },
      },
    ]));

  it('refuses an account code that is no budget line, a used number, a bad amount, an empty number', () => {
    expect(ruleOf(() => decideRecordSpp(command({ accountCode: '5.1.02.99' }), budgeted))).toBe(
      'treasury.accountCode.unknown',
    );
    expect(ruleOf(() => decideRecordSpp(command(), treasuryOf([])))).toBe('treasury.accountCode.unknown');
    expect(ruleOf(() => decideRecordSpp(command({ numberUsed: true }), budgeted))).toBe(
      'treasury.number.duplicate',
    );
    expect(ruleOf(() => decideRecordSpp(command({ amount: -5 }), budgeted))).toBe('amount.positive');
    expect(ruleOf(() => decideRecordSpp(command({ number: '' }), budgeted))).toBe('number.required');
  });

  it('numbers of another year or regency are other guard streams', () => {
    const a = treasuryStreams.number('1603', 2026, 'spp', 'SPP-1');
    expect(treasuryStreams.number('1603', 2027, 'spp', 'SPP-1')).not.toBe(a);
    expect(treasuryStreams.number('1604', 2026, 'spp', 'SPP-1')).not.toBe(a);
    expect(treasuryStreams.number('1603', 2026, 'spm', 'SPP-1')).not.toBe(a);
  });
});
