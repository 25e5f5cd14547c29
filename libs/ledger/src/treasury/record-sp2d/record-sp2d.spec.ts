import { ruleOf } from '../../contributions/dues.examples';
import { ACCOUNT, PROGRAM, cancelled, chain, sp2dRecorded, treasuryOf } from '../treasury.examples';
import { decideRecordSp2d, MAX_DEDUCTIONS, type RecordSp2d } from './record-sp2d.decider';

const command = (over: Partial<RecordSp2d> = {}): RecordSp2d => ({
  type: 'RecordSp2d',
  programId: PROGRAM,
  regionCode: '1603',
  number: 'SP2D-1',
  date: '2026-01-14',
  amount: 449_820_000,
  accountCode: ACCOUNT,
  spmNumber: 'SPM-1',
  sp2dType: 'LS',
  lsType: 'Pihak Ketiga',
  recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
  bank: 'Bank Sumsel Babel',
  deductions: [],
  numberUsed: false,
  ...over,
});

describe('recording an SP2D', () => {
  const ordered = treasuryOf(chain());

  it('disburses on a live SPM, with its type, recipient, bank and deductions', () => {
    const deductions = [{ billingId: '820250114001', name: 'PPh 23', amount: 1_000 }];
    const [recorded] = decideRecordSp2d(command({ deductions }), ordered);
    expect(recorded.event).toMatchObject({
      type: 'Sp2dRecorded',
      data: { number: 'SP2D-1', spmNumber: 'SPM-1', amount: 449_820_000, sp2dType: 'LS', deductions },
    });
  });

  it('several SP2Ds of one SPM never exceed it; a cancelled one frees its amount', () => {
    const partly = treasuryOf([...chain(), sp2dRecorded('SP2D-1', 'SPM-1', 449_820_000)]);
    expect(ruleOf(() => decideRecordSp2d(command({ number: 'SP2D-2', amount: 50_180_001 }), partly))).toBe(
      'sp2d.amount.exceedsSpm',
    );
    expect(decideRecordSp2d(command({ number: 'SP2D-2', amount: 50_180_000 }), partly)).toHaveLength(2);
    const freed = treasuryOf([
      ...chain(),
      sp2dRecorded('SP2D-1', 'SPM-1', 449_820_000),
      cancelled('sp2d', 'SP2D-1'),
    ]);
    expect(decideRecordSp2d(command({ number: 'SP2D-2', amount: 500_000_000 }), freed)).toHaveLength(2);
  });

  it('refuses an SP2D before its SPM, on a cancelled SPM, on an unknown account code, on another account', () => {
    expect(ruleOf(() => decideRecordSp2d(command({ spmNumber: 'SPM-9' }), ordered))).toBe(
      'treasury.spm.unknown',
    );
    const dead = treasuryOf([...chain(), cancelled('spm', 'SPM-1')]);
    expect(ruleOf(() => decideRecordSp2d(command(), dead))).toBe('treasury.spm.cancelled');
    expect(ruleOf(() => decideRecordSp2d(command({ accountCode: '5.1.02.99' }), ordered))).toBe(
      'treasury.accountCode.unknown',
    );
    expect(ruleOf(() => decideRecordSp2d(command({ date: '2026-01-11' }), ordered))).toBe(
      'sp2d.date.beforeSpm',
    );
  });

  it('refuses a used number, an unknown type, deductions above the amount or too many', () => {
    expect(ruleOf(() => decideRecordSp2d(command({ numberUsed: true }), ordered))).toBe(
      'treasury.number.duplicate',
    );
    expect(ruleOf(() => decideRecordSp2d(command({ sp2dType: 'XX' as never }), ordered))).toBe(
      'sp2dType.oneOf',
    );
    const big = [{ billingId: null, name: 'PPh', amount: 449_820_001 }];
    expect(ruleOf(() => decideRecordSp2d(command({ deductions: big }), ordered))).toBe(
      'sp2d.deductions.exceedAmount',
    );
    const many = Array.from({ length: MAX_DEDUCTIONS + 1 }, () => ({
      billingId: null,
      name: 'PPh',
      amount: 1,
    }));
    expect(ruleOf(() => decideRecordSp2d(command({ deductions: many }), ordered))).toBe('deductions.max');
  });
});
