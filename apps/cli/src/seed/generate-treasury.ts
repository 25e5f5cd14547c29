import { loadTreasury } from '@ledger/ledger/treasury/treasury.load';
import { linkSp2d } from '@ledger/ledger/treasury/link-sp2d/link-sp2d.handler';
import { recordSp2d } from '@ledger/ledger/treasury/record-sp2d/record-sp2d.handler';
import { recordSpm } from '@ledger/ledger/treasury/record-spm/record-spm.handler';
import { recordSpp } from '@ledger/ledger/treasury/record-spp/record-spp.handler';
import { setBudgetLine } from '@ledger/ledger/treasury/set-budget-line/set-budget-line.handler';
import { commandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { LedgerRuntime } from '@ledger/runtime';

/** The account code of the generated budget lines (belanja iuran jaminan sosial). */
export const GENERATED_ACCOUNT = '5.1.02.01.01.0001';

/**
 * A program's treasury year for benchmarks, through the treasury use cases: one DPA budget
 * line a tenth above the year's invoices, and for every issued month an SPP, its SPM and an
 * SP2D (LS, to BPJS) of the invoice's total, dated in that month and linked to the invoice.
 * A program whose year holds an SP2D already is left as it is, so a rerun adds nothing.
 */
export async function generateTreasury(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  program: { id: string; ownerRegion: string },
  year: number,
): Promise<{ sp2d: number }> {
  const { state } = await loadTreasury(deps, program.id, year);
  if (state.sp2d.size > 0) return { sp2d: 0 };
  await runtime.runner.catchUp();
  const invoices = await runtime.read.query
    .selectFrom('reconciliation_invoices')
    .select(['invoice_id', 'month', 'total_amount'])
    .where('program_id', '=', program.id)
    .where('cancelled', '=', 0)
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', `${year}-12`)
    .orderBy('month')
    .execute();
  if (invoices.length === 0) return { sp2d: 0 };
  const ctx = commandContext({
    id: `keuangan-${program.ownerRegion}`,
    role: 'finance',
    region: program.ownerRegion,
  });
  const total = invoices.reduce((sum, i) => sum + Number(i.total_amount), 0);
  await setBudgetLine(deps, ctx, program.id, {
    fiscalYear: year,
    accountCode: GENERATED_ACCOUNT,
    document: 'DPA',
    fundingSource: 'PAD',
    amount: Math.ceil((total * 1.1) / 1000) * 1000,
    setOn: `${year}-01-02`,
  });
  let sp2d = 0;
  for (const invoice of invoices) {
    const amount = Number(invoice.total_amount);
    const mm = invoice.month.slice(5, 7);
    const number = (kind: string) => `${mm}/${kind}-LS/${program.ownerRegion}/${year}`;
    const document = { amount, accountCode: GENERATED_ACCOUNT };
    await recordSpp(deps, ctx, program.id, {
      ...document,
      number: number('SPP'),
      date: `${invoice.month}-12`,
    });
    await recordSpm(deps, ctx, program.id, {
      ...document,
      number: number('SPM'),
      date: `${invoice.month}-14`,
      sppNumber: number('SPP'),
    });
    await recordSp2d(deps, ctx, program.id, {
      ...document,
      number: number('SP2D'),
      date: `${invoice.month}-16`,
      spmNumber: number('SPM'),
      sp2dType: 'LS',
      lsType: 'Pihak Ketiga',
      recipient: 'BPJS Ketenagakerjaan',
      bank: 'Bank Pembangunan Daerah',
    });
    await linkSp2d(deps, ctx, program.id, {
      fiscalYear: year,
      sp2dNumber: number('SP2D'),
      invoiceIds: [invoice.invoice_id],
      linkedOn: `${invoice.month}-16`,
    });
    sp2d += 1;
  }
  return { sp2d };
}
