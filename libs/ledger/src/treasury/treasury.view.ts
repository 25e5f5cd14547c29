import { budgetCeilingOf, sp2dTotalOf, spmTotalOf, type TreasuryState } from './treasury.state';

/** What GET answers: lines with their revisions, the ceiling, and each document with what is left of it. */
export function treasuryView(programId: string, fiscalYear: number, state: TreasuryState) {
  const sp2d = [...state.sp2d.values()];
  const disbursed = sp2d.filter((s) => !s.cancelled).reduce((sum, s) => sum + s.amount, 0);
  const ceiling = budgetCeilingOf(state);
  return {
    programId,
    fiscalYear,
    budgetCeiling: ceiling,
    disbursed,
    remaining: ceiling - disbursed,
    budgetLines: [...state.lines.values()],
    spp: [...state.spp.values()].map((s) => ({ ...s, ordered: spmTotalOf(state, s.number) })),
    spm: [...state.spm.values()].map((s) => ({ ...s, disbursed: sp2dTotalOf(state, s.number) })),
    sp2d,
  };
}
