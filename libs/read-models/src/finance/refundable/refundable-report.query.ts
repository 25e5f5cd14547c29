import type { IsoDate } from '@ledger/ledger/shared/dates';
import type { ReadQuery } from '../../read-schema';
import { invoicesOn } from '../invoices/invoices.query';
import { financeProgramsAt, type KnownFinance } from '../program-months/program-months.query';
import { refundableLines, type RefundableLine } from './refundable.query';

/** One invoice's refundable money: its paid lines of ended coverages and its over-payment. */
export interface RefundableInvoice {
  payer: string;
  programId: string;
  month: string;
  invoiceId: string;
  lines: number;
  linesAmount: number;
  overpaid: number;
  total: number;
}

export interface RefundableReport {
  asOf: IsoDate;
  /** The log position the figures were known at, when asked for one. */
  knownAt?: number;
  region: string | null;
  payer: string | null;
  /** Per payer, their invoices with something refundable, oldest month first. */
  payers: { payer: string; lines: number; total: number }[];
  invoices: RefundableInvoice[];
  lines: RefundableLine[];
  totals: { lines: number; linesAmount: number; overpaid: number; total: number };
}

/**
 * Refundable months per payer as of `asOf`: the invoices of programs owned under `regions`
 * (prefixes; '' for all), optionally of one payer; with `known`, as the ledger knew them at
 * that log position.
 */
export async function refundableReport(
  db: ReadQuery,
  filter: { regions: string[]; region: string | null; payer: string | null },
  asOf: IsoDate,
  known?: KnownFinance,
): Promise<RefundableReport> {
  const invoices = await invoicesOn(
    db,
    { ownerRegions: filter.regions, ...(filter.payer === null ? {} : { payer: filter.payer }) },
    asOf,
    known?.position,
  );
  const programIds = [...new Set(invoices.map((i) => i.programId))];
  const ends = new Map((await financeProgramsAt(db, known, programIds)).map((p) => [p.id, p.end]));
  const lines = await refundableLines(db, invoices, ends, asOf, known?.position);
  const byInvoice = new Map<string, RefundableLine[]>();
  for (const line of lines) byInvoice.set(line.invoiceId, [...(byInvoice.get(line.invoiceId) ?? []), line]);
  const rows: RefundableInvoice[] = [];
  for (const invoice of invoices) {
    const own = byInvoice.get(invoice.invoiceId) ?? [];
    const linesAmount = own.reduce((s, l) => s + l.amount, 0);
    if (linesAmount === 0 && invoice.overpaidRefundable === 0) continue;
    rows.push({
      payer: invoice.payer,
      programId: invoice.programId,
      month: invoice.month,
      invoiceId: invoice.invoiceId,
      lines: own.length,
      linesAmount,
      overpaid: invoice.overpaidRefundable,
      total: linesAmount + invoice.overpaidRefundable,
    });
  }
  rows.sort(
    (a, b) =>
      a.payer.localeCompare(b.payer) ||
      a.month.localeCompare(b.month) ||
      a.invoiceId.localeCompare(b.invoiceId),
  );
  const payers = new Map<string, { payer: string; lines: number; total: number }>();
  for (const row of rows) {
    const p = payers.get(row.payer) ?? { payer: row.payer, lines: 0, total: 0 };
    p.lines += row.lines;
    p.total += row.total;
    payers.set(row.payer, p);
  }
  return {
    asOf,
    ...(known === undefined ? {} : { knownAt: known.position }),
    region: filter.region,
    payer: filter.payer,
    payers: [...payers.values()],
    invoices: rows,
    lines,
    totals: {
      lines: rows.reduce((s, r) => s + r.lines, 0),
      linesAmount: rows.reduce((s, r) => s + r.linesAmount, 0),
      overpaid: rows.reduce((s, r) => s + r.overpaid, 0),
      total: rows.reduce((s, r) => s + r.total, 0),
    },
  };
}
