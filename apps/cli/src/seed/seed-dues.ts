import type { RosterSource } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import type { YearMonth } from '@ledger/ledger/contributions/obligation';
import { loadInvoice } from '@ledger/ledger/contributions/dues.load';
import type { BackfillRequest } from '@ledger/ledger/shared/backfill';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { rosterOf } from '@ledger/read-models/contributions/roster.query';
import type { LedgerRuntime } from '@ledger/runtime';

/**
 * The roster of a seeded ledger: one process writes, so catching the projections up to the
 * head before reading is all the waiting there is.
 */
export function seedRoster(runtime: LedgerRuntime): RosterSource {
  return async (question) => {
    const position = await runtime.store.headPosition();
    await runtime.runner.catchUp();
    return { enrollmentIds: await rosterOf(runtime.read.query, question), position };
  };
}

/** How a month's invoice was paid: the whole of it, a share of it, or nothing yet. */
export interface MonthPayment {
  month: YearMonth;
  /** Part of the invoice's total paid (1 = in full), rounded down to whole rupiah. */
  share: number;
  paidOn: IsoDate;
  sp2dNumber?: string;
}

export interface SeededInvoice {
  invoiceId: string;
  month: YearMonth;
  totalAmount: number;
  paid: number;
}

/**
 * Issues a program's invoices for the given months (on the 1st of each, as the records of
 * that time) and records the payments of the plan, each with a reference of its own.
 */
export async function seedDues(
  deps: LedgerDeps,
  ctx: CommandContext,
  roster: RosterSource,
  programId: string,
  months: YearMonth[],
  payments: MonthPayment[],
  backfill: BackfillRequest,
): Promise<SeededInvoice[]> {
  const seeded: SeededInvoice[] = [];
  for (const month of months) {
    const { invoiceId } = await issueInvoice(
      deps,
      ctx,
      programId,
      { month, issuedOn: `${month}-01`, backfill },
      roster,
    );
    let paid = 0;
    const { invoice } = await loadInvoice(deps, invoiceId);
    for (const [i, payment] of payments.filter((p) => p.month === month).entries()) {
      const amount = Math.floor(invoice.totalAmount * payment.share);
      if (amount <= 0) continue;
      await recordPayment(deps, ctx, invoiceId, {
        amount,
        paidOn: payment.paidOn,
        // The end of a program id is random (its start is a timestamp shared by programs made together).
        reference: `VA-${programId.slice(-8).toUpperCase()}-${month}-${i + 1}`,
        sp2dNumber: payment.sp2dNumber ?? null,
        backfill,
      });
      paid += amount;
    }
    seeded.push({ invoiceId, month, totalAmount: invoice.totalAmount, paid });
  }
  return seeded;
}
