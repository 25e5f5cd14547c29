import type { LedgerRuntime } from '@ledger/runtime';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { signStatement } from '@ledger/ledger/treasury/sign-statement/sign-statement.handler';
import { reconciliation } from '@ledger/read-models/reconciliation/reconciliation.query';

/**
 * Signs the reconciliation statement of one program's month as its finance account would,
 * once the read models caught up with everything the demo wrote: the figures and open
 * differences the reconciliation shows are frozen as of the log's head. The signer is the
 * office it signs in; the name is written by hand on the printed page, never recorded.
 */
export async function seedStatement(
  runtime: LedgerRuntime,
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  month: string,
  signedOn: string,
) {
  await runtime.runner.catchUp();
  const readPosition = await runtime.store.headPosition();
  const found = await reconciliation(runtime.read.query, programId, null, Number(month.slice(0, 4)), [month]);
  const signed = await signStatement(deps, { ...ctx, actor: { ...ctx.actor, role: 'finance' } }, programId, {
    payer: null,
    period: month,
    signedOn,
    signer: { position: 'Kepala Bidang Perbendaharaan BPKD Sijunjung' },
    counterparty: 'BPJS Ketenagakerjaan Cabang Solok',
    figures: { roster: found.roster, billed: found.billed, disbursed: found.disbursed },
    lines: found.lines.map(({ code, month: m, invoiceId, sp2dNumbers, amount }) => ({
      code,
      month: m,
      invoiceId,
      sp2dNumbers,
      amount,
    })),
    readPosition,
  });
  return { programId, period: month, statementId: signed.statementId, differences: found.lines.length };
}
