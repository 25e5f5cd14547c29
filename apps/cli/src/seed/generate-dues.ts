import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { loadDues } from '@ledger/ledger/contributions/dues.load';
import { currentInvoice } from '@ledger/ledger/contributions/dues.state';
import { monthOf, monthsBetween, type YearMonth } from '@ledger/ledger/contributions/obligation';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { LedgerRuntime } from '@ledger/runtime';
import { seedRoster } from './seed-dues';

const BACKFILL = { reason: 'migration' as const, note: 'Tagihan dan pembayaran bangkitan (benchmark)' };

/** Lines left unpaid in every month, per thousand lines: those workers lapse at the next sweep. */
export const UNPAID_PER_MILLE = 10;

/**
 * A program's year of dues for benchmarks: every month from its first to the one before
 * `today`'s month is issued (on the 1st, as records of that time) and paid on the 10th, all
 * lines but the last `UNPAID_PER_MILLE` ‰ (payments pay whole lines in line order), which stay
 * unpaid so the lapse sweep has work. The current month is left to be frozen live. A month
 * already issued is left as it is, so a rerun adds nothing.
 */
export async function generateDues(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  ctx: CommandContext,
  program: { id: string; periodFrom: IsoDate; periodTo: IsoDate },
  today: IsoDate,
): Promise<{ months: YearMonth[]; invoices: number; payments: number }> {
  const last = monthsBetween(monthOf(program.periodFrom), monthOf(program.periodTo)).filter(
    (m) => m < monthOf(today),
  );
  const roster = seedRoster(runtime);
  let invoices = 0;
  let payments = 0;
  for (const month of last) {
    if (currentInvoice((await loadDues(deps, program.id, month)).state)) continue;
    const { invoiceId } = await issueInvoice(
      deps,
      ctx,
      program.id,
      { month, issuedOn: `${month}-01`, backfill: BACKFILL },
      roster,
    );
    invoices += 1;
    const invoice = currentInvoice((await loadDues(deps, program.id, month)).state)!;
    const lines = invoice.activeLineCount - Math.ceil((invoice.activeLineCount * UNPAID_PER_MILLE) / 1000);
    if (lines <= 0) continue;
    await recordPayment(deps, ctx, invoiceId, {
      amount: lines * invoice.terms.lineAmount,
      paidOn: `${month}-10`,
      reference: `GEN-${invoiceId}`,
      sp2dNumber: null,
      backfill: BACKFILL,
    });
    payments += 1;
  }
  return { months: last, invoices, payments };
}
