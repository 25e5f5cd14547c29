import { ruleOf } from '../../contributions/dues.examples';
import { PROGRAM, STREAM, chain, sp2dRecorded, treasuryOf } from '../treasury.examples';
import { evolveTreasury } from '../treasury.state';
import { decideLinkSp2d, MAX_LINKED_INVOICES, type LinkSp2d } from './link-sp2d.decider';

const command = (over: Partial<LinkSp2d> = {}): LinkSp2d => ({
  type: 'LinkSp2d',
  programId: PROGRAM,
  fiscalYear: 2026,
  sp2dNumber: 'SP2D-1',
  invoiceIds: ['p1_2026-01'],
  unknownInvoiceIds: [],
  linkedOn: '2026-01-15',
  ...over,
});

describe('linking an SP2D to the invoices it pays', () => {
  const disbursed = treasuryOf([...chain(), sp2dRecorded('SP2D-1', 'SPM-1', 449_820_000)]);

  it('links, and a later link corrects the first while keeping what it replaced', () => {
    const [first] = decideLinkSp2d(command(), disbursed);
    expect(first).toEqual({
      streamId: STREAM,
      event: {
        type: 'Sp2dInvoicesLinked',
        data: {
          programId: PROGRAM,
          fiscalYear: 2026,
          sp2dNumber: 'SP2D-1',
          invoiceIds: ['p1_2026-01'],
          linkedOn: '2026-01-15',
          previousInvoiceIds: [],
        },
      },
    });
    const linked = evolveTreasury(disbursed, first.event);
    expect(decideLinkSp2d(command(), linked)).toEqual([]);
    const [corrected] = decideLinkSp2d(
      command({ invoiceIds: ['p1_2026-02', 'p1_2026-01', 'p1_2026-02'] }),
      linked,
    );
    expect(corrected.event.data).toMatchObject({
      invoiceIds: ['p1_2026-01', 'p1_2026-02'],
      previousInvoiceIds: ['p1_2026-01'],
    });
  });

  it('refuses an unknown SP2D or invoice, no invoice, too many', () => {
    expect(ruleOf(() => decideLinkSp2d(command({ sp2dNumber: 'SP2D-9' }), disbursed))).toBe(
      'treasury.sp2d.unknown',
    );
    expect(ruleOf(() => decideLinkSp2d(command({ unknownInvoiceIds: ['x'] }), disbursed))).toBe(
      'sp2d.invoice.unknown',
    );
    expect(ruleOf(() => decideLinkSp2d(command({ invoiceIds: [] }), disbursed))).toBe('invoiceIds.required');
    const many = Array.from({ length: MAX_LINKED_INVOICES + 1 }, (_, i) => `p1_2026-${i}`);
    expect(ruleOf(() => decideLinkSp2d(command({ invoiceIds: many }), disbursed))).toBe('invoiceIds.max');
  });
});
