import {
  recordBpjsBillFile,
  recordBpjsBillTotals,
} from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.handler';
import { loadInvoice } from '@ledger/ledger/contributions/dues.load';
import type { InvoiceState } from '@ledger/ledger/contributions/dues.state';
import { openRegistrations } from '@ledger/ledger/participants/registration';
import type { CommandContext, LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';
import { linkSp2d } from '@ledger/ledger/treasury/link-sp2d/link-sp2d.handler';
import { recordSp2d } from '@ledger/ledger/treasury/record-sp2d/record-sp2d.handler';
import { recordSpm } from '@ledger/ledger/treasury/record-spm/record-spm.handler';
import { recordSpp } from '@ledger/ledger/treasury/record-spp/record-spp.handler';
import { setBudgetLine } from '@ledger/ledger/treasury/set-budget-line/set-budget-line.handler';

/** The account code the demo's regencies budget the contributions on (illustrative). */
export const DEMO_ACCOUNT = '5.1.02.02.01.0026';
const LINE = 16_800;

/**
 * What the treasury and BPJS did with one invoice of the demo. Every month is clean (billed
 * exactly, paid by one SP2D of exactly the invoice) unless the plan says otherwise, and each
 * deliberate difference sits alone in its program and month:
 * - `notBilled`: BPJS sent no bill (ROSTER_NOT_BILLED);
 * - `billedMore`: the bill asks one line more than the roster (AMOUNT_DIFFERS);
 * - `strangerBilled`: the bill file names every worker and one person the roster does not hold
 *   (BILLED_NOT_ON_ROSTER);
 * - `paidShare`: the SP2D pays that share of the invoice (INVOICE_UNPAID);
 * - `paidTwice`: a second SP2D from its own SPM paid the same invoice again (DISBURSED_TWICE);
 * - `paidMore`: the SP2D pays this many rupiah above the invoice (DISBURSEMENT_EXCEEDS_INVOICE);
 * - `unlinkedSp2d`: an SP2D of the month that names no invoice (DISBURSED_WITHOUT_INVOICE);
 * - `beyondLine`: the APBD-P revises the program's line this many rupiah below what its SP2Ds
 *   took, the part beyond showing on that month's SP2D (OUTSIDE_BUDGET_LINE);
 * - `sp2d`: the SP2D's own day (and number, when it was paid in the next fiscal year).
 */
export interface TreasuryMonthPlan {
  notBilled?: true;
  billedMore?: true;
  strangerBilled?: true;
  paidShare?: number;
  paidTwice?: true;
  paidMore?: number;
  unlinkedSp2d?: number;
  beyondLine?: number;
  sp2d?: { date: string; number?: string };
}

export interface TreasuryProgram {
  label: string;
  programId: string;
  regionCode: string;
  fundingSource: string;
  recipient: string;
  bank: string;
  months: string[];
  plan?: Record<string, TreasuryMonthPlan>;
}

export type SeededTreasuryRow = {
  program: string;
  month: string;
  invoiced: number;
  billed: number | string;
  sp2d: string;
  disbursed: number;
  expected: string;
};

interface Disbursement {
  month: string;
  date: string;
  number: string | null;
  amount: number;
  invoiceIds: string[];
}

/**
 * The demo's treasury: for every program, a budget line per fiscal year (DPA), and for every
 * invoice an SPP → SPM → SP2D (LS to BPJS Ketenagakerjaan, through the regency's bank) linked
 * to it, and BPJS's bill; the plan's deliberate differences are made on the way. Numbers run
 * per regency and year, as the regency's treasury numbers them.
 */
export async function seedTreasury(
  deps: LedgerDeps,
  ctx: CommandContext,
  programs: TreasuryProgram[],
  /** A synthetic NIK the roster holds nowhere: the person BPJS billed by mistake. */
  strangerNik: string,
): Promise<SeededTreasuryRow[]> {
  const counters = new Map<string, number>();
  const numberOf = (regionCode: string, year: number) => {
    const key = `${regionCode}|${year}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return String(n).padStart(4, '0');
  };
  const rows: SeededTreasuryRow[] = [];
  for (const program of programs) {
    const invoices = new Map<string, InvoiceState>();
    for (const month of program.months)
      invoices.set(month, (await loadInvoice(deps, `${program.programId}_${month}`)).invoice);
    const plan = (month: string) => program.plan?.[month] ?? {};

    // What the treasury pays, month by month.
    const disbursements: Disbursement[] = [];
    for (const month of program.months) {
      const p = plan(month);
      const invoice = invoices.get(month)!;
      const { invoiceId } = invoice.terms;
      const { totalAmount } = invoice;
      const amount =
        p.paidShare !== undefined ? Math.floor(totalAmount * p.paidShare) : totalAmount + (p.paidMore ?? 0);
      disbursements.push({
        month,
        date: p.sp2d?.date ?? `${month}-08`,
        number: p.sp2d?.number ?? null,
        amount,
        invoiceIds: [invoiceId],
      });
      if (p.paidTwice)
        disbursements.push({ month, date: `${month}-22`, number: null, amount, invoiceIds: [invoiceId] });
      if (p.unlinkedSp2d)
        disbursements.push({
          month,
          date: `${month}-20`,
          number: null,
          amount: p.unlinkedSp2d,
          invoiceIds: [],
        });
    }

    // A DPA line per fiscal year holding exactly what the year's SP2Ds take.
    const years = [...new Set(disbursements.map((d) => Number(d.date.slice(0, 4))))];
    const line = (fiscalYear: number, amount: number, document: 'DPA' | 'APBD-P', setOn: string) =>
      setBudgetLine(deps, ctx, program.programId, {
        fiscalYear,
        accountCode: DEMO_ACCOUNT,
        document,
        fundingSource: program.fundingSource,
        amount,
        setOn,
      });
    const yearTotal = (year: number) =>
      disbursements.filter((d) => d.date.startsWith(`${year}-`)).reduce((sum, d) => sum + d.amount, 0);
    for (const year of years) await line(year, yearTotal(year), 'DPA', `${year}-01-02`);

    const numbers = new Map<Disbursement, string>();
    for (const d of disbursements) {
      const year = Number(d.date.slice(0, 4));
      const n = d.number ? d.number.slice(0, 4) : numberOf(program.regionCode, year);
      const number = d.number ?? `${n}/SP2D/LS/${year}`;
      numbers.set(d, number);
      const base = { amount: d.amount, accountCode: DEMO_ACCOUNT };
      const day = (offset: number) => {
        const date = new Date(`${d.date}T00:00:00Z`);
        date.setUTCDate(date.getUTCDate() - offset);
        return date.toISOString().slice(0, 10);
      };
      await recordSpp(deps, ctx, program.programId, { ...base, number: `${n}/SPP/LS/${year}`, date: day(5) });
      await recordSpm(deps, ctx, program.programId, {
        ...base,
        number: `${n}/SPM/LS/${year}`,
        date: day(2),
        sppNumber: `${n}/SPP/LS/${year}`,
      });
      await recordSp2d(deps, ctx, program.programId, {
        ...base,
        number,
        date: d.date,
        spmNumber: `${n}/SPM/LS/${year}`,
        sp2dType: 'LS',
        lsType: 'Pihak Ketiga',
        recipient: program.recipient,
        bank: program.bank,
        // Contributions to BPJS carry no tax withheld.
        deductions: [],
      });
      if (d.invoiceIds.length > 0)
        await linkSp2d(deps, ctx, program.programId, {
          fiscalYear: year,
          sp2dNumber: number,
          invoiceIds: d.invoiceIds,
          linkedOn: d.date,
        });
    }

    // The APBD-P that cut a line below what was already disbursed.
    for (const month of program.months) {
      const beyond = plan(month).beyondLine;
      if (!beyond) continue;
      const year = Number(month.slice(0, 4));
      await line(year, yearTotal(year) - beyond, 'APBD-P', `${month}-28`);
    }

    // BPJS's bills, received on the 5th of the month billed.
    for (const month of program.months) {
      const p = plan(month);
      const invoice = invoices.get(month)!;
      const invoiceId = invoice.terms.invoiceId;
      let billed: number | string = invoice.totalAmount;
      if (p.notBilled) billed = '-';
      else if (p.strangerBilled) {
        const niks = await rosterNiks(deps, invoice);
        const csv = [
          'No;NIK;Periode;Jumlah Iuran',
          ...[...niks, strangerNik].map((nik, i) => `${i + 1};${nik};${month};${LINE}`),
        ].join('\r\n');
        const bill = await recordBpjsBillFile(
          deps,
          ctx,
          invoiceId,
          { content: Buffer.from(csv), fileName: `tagihan-bpjs-${month}.csv`, contentType: 'text/csv' },
          { receivedOn: `${month}-05` },
        );
        billed = bill.billed.amount;
      } else {
        const amount = invoice.totalAmount + (p.billedMore ? LINE : 0);
        await recordBpjsBillTotals(
          deps,
          ctx,
          invoiceId,
          { participants: invoice.activeLineCount + (p.billedMore ? 1 : 0), amount },
          `${month}-05`,
        );
        billed = amount;
      }
      const paying = disbursements.filter((d) => d.invoiceIds.includes(invoiceId));
      rows.push({
        program: program.label,
        month,
        invoiced: invoice.totalAmount,
        billed,
        sp2d: paying.map((d) => numbers.get(d)).join(', '),
        disbursed: paying.reduce((sum, d) => sum + d.amount, 0),
        expected: expectedCodes(p).join(', ') || 'cocok',
      });
    }
  }
  return rows;
}

/** The codes the reconciliation is to show for a month of the plan (none for a clean one). */
export function expectedCodes(p: TreasuryMonthPlan): string[] {
  const codes: string[] = [];
  if (p.notBilled) codes.push('ROSTER_NOT_BILLED');
  if (p.strangerBilled) codes.push('BILLED_NOT_ON_ROSTER');
  if (p.billedMore) codes.push('AMOUNT_DIFFERS');
  if (p.paidShare !== undefined) codes.push('INVOICE_UNPAID');
  if (p.paidTwice) codes.push('DISBURSED_TWICE');
  if (p.paidMore) codes.push('DISBURSEMENT_EXCEEDS_INVOICE');
  if (p.unlinkedSp2d) codes.push('DISBURSED_WITHOUT_INVOICE');
  if (p.beyondLine) codes.push('OUTSIDE_BUDGET_LINE');
  return codes;
}

/** The NIKs of an invoice's live lines, opened from the workers' sealed registrations. */
async function rosterNiks(deps: LedgerDeps, invoice: InvoiceState): Promise<string[]> {
  const cancelled = new Set(invoice.cancelledLines);
  const participantIds: string[] = [];
  for (const [line, enrollmentId] of invoice.lines.entries()) {
    if (cancelled.has(line)) continue;
    const [proposed] = await deps.store.readStream(streams.enrollment(enrollmentId), { maxCount: 1 });
    participantIds.push((proposed.data as { participantId: string }).participantId);
  }
  const opened = await openRegistrations(deps, participantIds);
  return participantIds.map((id) => opened.get(id)!.personal!.nik);
}
