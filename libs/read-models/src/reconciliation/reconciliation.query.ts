import type { ReadQuery } from '../read-schema';
import type { ElsewhereLine } from './reconciliation.projection';
import { coveredByTwoPayers } from './two-payers';

/** The read models the reconciliation reads (for `consistentWith`). */
export const RECONCILIATION_MODELS = [
  'reconciliation_invoices',
  'reconciliation_sp2d',
  'reconciliation_budget_lines',
  // COVERED_BY_TWO_PAYERS reads the other payers' invoice lines.
  'finance',
];

export type ReconciliationCode =
  | 'ROSTER_NOT_BILLED'
  | 'BILLED_NOT_ON_ROSTER'
  | 'AMOUNT_DIFFERS'
  | 'INVOICE_UNPAID'
  | 'DISBURSED_WITHOUT_INVOICE'
  | 'DISBURSED_TWICE'
  | 'DISBURSEMENT_EXCEEDS_INVOICE'
  | 'OUTSIDE_BUDGET_LINE'
  | 'COVERED_BY_TWO_PAYERS';

export const RECONCILIATION_LABELS: Readonly<Record<ReconciliationCode, string>> = {
  ROSTER_NOT_BILLED: 'Tercakup di roster tetapi belum ditagih BPJS',
  BILLED_NOT_ON_ROSTER: 'Ditagih BPJS tetapi tidak ada di roster',
  AMOUNT_DIFFERS: 'Tagihan BPJS berbeda dari jumlah roster',
  INVOICE_UNPAID: 'Tagihan belum dibayar dengan SP2D',
  DISBURSED_WITHOUT_INVOICE: 'SP2D tanpa tagihan',
  DISBURSED_TWICE: 'Tagihan dibayar dengan lebih dari satu SP2D',
  DISBURSEMENT_EXCEEDS_INVOICE: 'SP2D melebihi jumlah tagihan',
  OUTSIDE_BUDGET_LINE: 'SP2D melampaui pagu kode rekening',
  COVERED_BY_TWO_PAYERS: 'Peserta yang sama dibayar dua pembayar pada bulan yang sama',
};

export interface ReconciliationLine {
  code: ReconciliationCode;
  label: string;
  month: string;
  invoiceId: string | null;
  sp2dNumbers: string[];
  /** Rupiah the difference is about (signed for AMOUNT_DIFFERS: billed − roster). */
  amount: number;
}

export interface ReconciliationFigures {
  /** The invoices' totals: what the roster justifies. */
  roster: number;
  /** The latest BPJS bill of each invoice (an invoice not billed counts 0). */
  billed: number;
  /** Live SP2Ds linked to the invoices, and live SP2Ds of the month linked to none. */
  disbursed: number;
}

export interface ReconciliationMonth extends ReconciliationFigures {
  month: string;
  lines: ReconciliationLine[];
}

export interface Reconciliation extends ReconciliationFigures {
  programId: string;
  payer: string | null;
  period: string;
  months: ReconciliationMonth[];
  lines: ReconciliationLine[];
}

interface Sp2d {
  number: string;
  date: string;
  month: string;
  accountCode: string;
  amount: number;
  invoiceIds: string[];
}

/**
 * What one SP2D pays of each invoice it is linked to: the invoices in id order are filled up
 * to their totals, and what is left goes to the last (so an excess shows on one invoice).
 */
function shares(sp2d: Sp2d, totals: ReadonlyMap<string, number>): Map<string, number> {
  const ids = [...sp2d.invoiceIds].sort();
  const out = new Map<string, number>();
  let left = sp2d.amount;
  ids.forEach((id, index) => {
    const part = index === ids.length - 1 ? left : Math.min(left, totals.get(id) ?? 0);
    out.set(id, part);
    left -= part;
  });
  return out;
}

/**
 * The three-way match of one program (and optionally one payer) over the months given. Every
 * loop is bounded by the program's invoices and SP2Ds of one fiscal year.
 */
export async function reconciliation(
  db: ReadQuery,
  programId: string,
  payer: string | null,
  year: number,
  months: readonly string[],
): Promise<Reconciliation> {
  const invoiceRows = await db
    .selectFrom('reconciliation_invoices')
    .selectAll()
    .where('program_id', '=', programId)
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', `${year}-12`)
    .where('cancelled', '=', 0)
    .execute();
  const invoices = invoiceRows.filter((row) => payer === null || row.payer === payer);
  const twoPayers = await coveredByTwoPayers(
    db,
    invoices
      .filter((row) => months.includes(row.month))
      .map((row) => ({ ...row, elsewhere: JSON.parse(row.elsewhere) as ElsewhereLine[] })),
  );
  const sp2dRows = await db
    .selectFrom('reconciliation_sp2d')
    .selectAll()
    .where('program_id', '=', programId)
    .where('cancelled', '=', 0)
    .execute();
  const sp2ds: Sp2d[] = sp2dRows.map((row) => ({
    number: row.number,
    date: row.date,
    month: row.month,
    accountCode: row.account_code,
    amount: Number(row.amount),
    invoiceIds: JSON.parse(row.invoice_ids) as string[],
  }));
  // The part of each SP2D beyond its budget line: live SP2Ds of the year on an account code
  // are counted in date (then number) order against the line's current amount.
  const lineRows = await db
    .selectFrom('reconciliation_budget_lines')
    .selectAll()
    .where('program_id', '=', programId)
    .where('fiscal_year', '=', year)
    .execute();
  const left = new Map(lineRows.map((row) => [row.account_code, Number(row.amount)]));
  const beyond = new Map<string, number>();
  const ofYear = sp2ds.filter((s) => s.date.startsWith(`${year}-`));
  ofYear.sort((a, b) =>
    a.date === b.date ? a.number.localeCompare(b.number) : a.date.localeCompare(b.date),
  );
  for (const sp2d of ofYear) {
    const room = left.get(sp2d.accountCode) ?? 0;
    if (sp2d.amount > room) beyond.set(sp2d.number, sp2d.amount - Math.max(room, 0));
    left.set(sp2d.accountCode, room - sp2d.amount);
  }
  const totals = new Map(invoices.map((row) => [row.invoice_id, Number(row.total_amount)]));
  // Per invoice: the SP2Ds paying it and what each pays of it.
  const paying = new Map<string, { number: string; amount: number }[]>();
  for (const sp2d of sp2ds) {
    if (sp2d.invoiceIds.length === 0) continue;
    for (const [id, amount] of shares(sp2d, totals)) {
      if (!totals.has(id)) continue;
      paying.set(id, [...(paying.get(id) ?? []), { number: sp2d.number, amount }]);
    }
  }

  const monthViews = months.map((month): ReconciliationMonth => {
    const lines: ReconciliationLine[] = [];
    const line = (
      code: ReconciliationCode,
      invoiceId: string | null,
      sp2dNumbers: string[],
      amount: number,
    ) => lines.push({ code, label: RECONCILIATION_LABELS[code], month, invoiceId, sp2dNumbers, amount });
    let roster = 0;
    let billed = 0;
    let disbursed = 0;
    for (const invoice of invoices.filter((row) => row.month === month)) {
      const total = Number(invoice.total_amount);
      roster += total;
      if (invoice.billed_amount === null) line('ROSTER_NOT_BILLED', invoice.invoice_id, [], total);
      else {
        const bill = Number(invoice.billed_amount);
        billed += bill;
        // A bill file's lines explain part of the difference: people billed who are not on the
        // roster, and roster lines not billed. What they leave unexplained differs in amount.
        // Of those not on the roster, people another payer's roster holds that month.
        const twice = twoPayers.get(invoice.invoice_id)?.amount ?? 0;
        const notOnRoster = Number(invoice.billed_not_on_roster) - twice;
        const notBilled = Number(invoice.roster_not_billed);
        if (notBilled > 0) line('ROSTER_NOT_BILLED', invoice.invoice_id, [], notBilled);
        if (notOnRoster > 0) line('BILLED_NOT_ON_ROSTER', invoice.invoice_id, [], notOnRoster);
        if (twice > 0) line('COVERED_BY_TWO_PAYERS', invoice.invoice_id, [], twice);
        const rest = bill - total - notOnRoster - twice + notBilled;
        if (rest !== 0) line('AMOUNT_DIFFERS', invoice.invoice_id, [], rest);
      }
      const paid = paying.get(invoice.invoice_id) ?? [];
      const sum = paid.reduce((acc, p) => acc + p.amount, 0);
      disbursed += sum;
      const numbers = paid.map((p) => p.number);
      if (paid.length === 0) line('INVOICE_UNPAID', invoice.invoice_id, [], total);
      else if (paid.length > 1) line('DISBURSED_TWICE', invoice.invoice_id, numbers, sum - total);
      else if (sum > total) line('DISBURSEMENT_EXCEEDS_INVOICE', invoice.invoice_id, numbers, sum - total);
      else if (sum < total) line('INVOICE_UNPAID', invoice.invoice_id, numbers, total - sum);
    }
    // An SP2D linked to no invoice belongs to the program, not to a payer's invoice: it shows
    // under the program, in the month of its date.
    for (const sp2d of sp2ds.filter((s) => s.invoiceIds.length === 0 && s.month === month)) {
      disbursed += sp2d.amount;
      line('DISBURSED_WITHOUT_INVOICE', null, [sp2d.number], sp2d.amount);
    }
    // Beyond the budget line: shown in the month of the SP2D's date.
    for (const sp2d of ofYear.filter((s) => s.month === month && beyond.has(s.number)))
      line('OUTSIDE_BUDGET_LINE', null, [sp2d.number], beyond.get(sp2d.number) ?? 0);
    return { month, roster, billed, disbursed, lines };
  });

  const sum = (key: keyof ReconciliationFigures) => monthViews.reduce((acc, m) => acc + m[key], 0);
  return {
    programId,
    payer,
    period: months.length === 1 ? months[0] : String(year),
    roster: sum('roster'),
    billed: sum('billed'),
    disbursed: sum('disbursed'),
    months: monthViews,
    lines: monthViews.flatMap((m) => m.lines),
  };
}

/** The months of a year, as the year view is the sum of them. */
export const monthsOf = (year: number) =>
  Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
