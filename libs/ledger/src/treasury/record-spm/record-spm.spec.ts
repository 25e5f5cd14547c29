import { ruleOf } from '../../contributions/dues.examples';
import { ACCOUNT, PROGRAM, cancelled, chain, lineSet, sppRecorded, treasuryOf } from '../treasury.examples';
import { decideRecordSpm, type RecordSpm } from './record-spm.decider';

const command = (over: Partial<RecordSpm> = {}): RecordSpm => ({
  type: 'RecordSpm',
  programId: PROGRAM,
  regionCode: '1603',
  number: 'SPM-2',
  date: '2026-01-12',
  amount: 300_000_000,
  accountCode: ACCOUNT,
  sppNumber: 'SPP-2',
  numberUsed: false,
  ...over,
});

describe('recording an SPM', () => {
  const requested = treasuryOf([lineSet(1_000_000_000), sppRecorded('SPP-2', 500_000_000)]);

  it('orders what a live SPP asked for', () => {
    const [recorded] = decideRecordSpm(command(), requested);
    expect(recorded.event).toEqual({
      type: 'SpmRecorded',
      data: {
        programId: PROGRAM,
        fiscalYear: 2026,
        number: 'SPM-2',
        date: '2026-01-12',
        amount: 300_000_000,
        accountCode: ACCOUNT,
        sppNumber: 'SPP-2',
      },
    });
  });

  it('refuses an SPM before its SPP, on a cancelled SPP, beyond what is left of it, dated before it', () => {
    expect(ruleOf(() => decideRecordSpm(command({ sppNumber: 'SPP-9' }), requested))).toBe(
      'treasury.spp.unknown',
    );
    const dead = treasuryOf([
      lineSet(1_000_000_000),
      sppRecorded('SPP-2', 500_000_000),
      cancelled('spp', 'SPP-2'),
    ]);
    expect(ruleOf(() => decideRecordSpm(command(), dead))).toBe('treasury.spp.cancelled');
    const ordered = treasuryOf(chain());
    expect(ruleOf(() => decideRecordSpm(command({ sppNumber: 'SPP-1', amount: 1 }), ordered))).toBe(
      'spm.amount.exceedsSpp',
    );
    expect(ruleOf(() => decideRecordSpm(command({ date: '2026-01-09' }), requested))).toBe(
      'spm.date.beforeSpp',
    );
  });

  it('a cancelled SPM frees its amount on the SPP', () => {
    const freed = treasuryOf([...chain(), cancelled('spm', 'SPM-1')]);
    expect(decideRecordSpm(command({ sppNumber: 'SPP-1', amount: 500_000_000 }), freed)).toHaveLength(2);
  });
});
