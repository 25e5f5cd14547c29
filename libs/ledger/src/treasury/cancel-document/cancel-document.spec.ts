import { ruleOf } from '../../contributions/dues.examples';
import { PROGRAM, STREAM, cancelled, chain, sp2dRecorded, treasuryOf } from '../treasury.examples';
import { sp2dTotalOf } from '../treasury.state';
import { decideCancelDocument, type CancelDocument } from './cancel-document.decider';

const command = (over: Partial<CancelDocument> = {}): CancelDocument => ({
  type: 'CancelDocument',
  programId: PROGRAM,
  fiscalYear: 2026,
  kind: 'sp2d',
  number: 'SP2D-1',
  reason: 'salah nilai',
  cancelledOn: '2026-01-20',
  ...over,
});

describe('cancelling a treasury document (pembatalan)', () => {
  const disbursed = treasuryOf([...chain(), sp2dRecorded('SP2D-1', 'SPM-1', 449_820_000)]);

  it('is its own event, and frees the amount on the parent', () => {
    const decided = decideCancelDocument(command(), disbursed);
    expect(decided).toEqual([{ streamId: STREAM, event: cancelled('sp2d', 'SP2D-1') }]);
    expect(sp2dTotalOf(disbursed, 'SPM-1')).toBe(449_820_000);
    expect(
      sp2dTotalOf(
        treasuryOf([...chain(), sp2dRecorded('SP2D-1', 'SPM-1', 1), cancelled('sp2d', 'SP2D-1')]),
        'SPM-1',
      ),
    ).toBe(0);
  });

  it('refuses a parent with a live child, an unknown or already cancelled document, a day before it', () => {
    expect(ruleOf(() => decideCancelDocument(command({ kind: 'spm', number: 'SPM-1' }), disbursed))).toBe(
      'treasury.cancel.liveChildren',
    );
    expect(ruleOf(() => decideCancelDocument(command({ kind: 'spp', number: 'SPP-1' }), disbursed))).toBe(
      'treasury.cancel.liveChildren',
    );
    expect(ruleOf(() => decideCancelDocument(command({ number: 'SP2D-9' }), disbursed))).toBe(
      'treasury.sp2d.unknown',
    );
    const twice = treasuryOf([...chain(), sp2dRecorded('SP2D-1', 'SPM-1', 1), cancelled('sp2d', 'SP2D-1')]);
    expect(ruleOf(() => decideCancelDocument(command(), twice))).toBe('treasury.sp2d.cancelled');
    expect(ruleOf(() => decideCancelDocument(command({ cancelledOn: '2026-01-01' }), disbursed))).toBe(
      'cancelledOn.beforeDocument',
    );
  });
});
