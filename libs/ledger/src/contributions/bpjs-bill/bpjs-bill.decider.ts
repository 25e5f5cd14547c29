import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import type { DuesEvent, InvoiceId } from '../contribution.events';
import { evolveDues, findInvoice, initialDuesState, type DuesState, type InvoiceState } from '../dues.state';
import {
  BILL_DIFFERENCES,
  BILL_LINES_PER_EVENT,
  type BillDifference,
  type BillLine,
  type BpjsBillEvent,
  type ControlTotals,
} from './bpjs-bill.events';

/**
 * A row of the bill as the decider sees it: the NIK only as its HMAC and masked (whose first
 * four digits, the regency, stay visible), and the enrollments the NIK's registry ever named.
 */
export interface BilledRow {
  row: number;
  nikKey: string | null;
  maskedNik: string | null;
  /** Identifies a row without NIK for the duplicate check; the masked form goes into events. */
  kpjKey: string | null;
  maskedKpj: string | null;
  period: string | null;
  amount: number;
  /** Enrollment ids the NIK has claimed (any program); the invoice's line is among them if covered. */
  enrollmentIds: string[];
  /** The programs of those enrollments (by enrollment id), to tell another payer's coverage. */
  programOf?: Record<string, string>;
}

export type RecordBpjsBill = {
  type: 'RecordBpjsBill';
  invoiceId: InvoiceId;
  receivedOn: IsoDate;
} & (
  | { source: 'file'; file: { name: string; sha256: string; format: 'csv' | 'xlsx' }; rows: BilledRow[] }
  | { source: 'totals'; billed: ControlTotals }
);

/** What recording a bill answers (with its consistency token). */
export interface BpjsBillResult {
  invoiceId: InvoiceId;
  billId: string;
  version: number;
  billed: ControlTotals;
  invoiced: ControlTotals;
  difference: ControlTotals;
  differenceCounts: Record<BillDifference, number>;
  lineCount: number;
  matchedRows: number;
}

export interface BillState {
  dues: DuesState;
  /** Versions of the bills recorded per invoice. */
  versions: Map<InvoiceId, number>;
}

export const initialBillState = (): BillState => ({ dues: initialDuesState(), versions: new Map() });

export function evolveBill(state: BillState, event: DuesEvent | BpjsBillEvent): BillState {
  if (event.type === 'BpjsBillRecorded') {
    const versions = new Map(state.versions);
    versions.set(event.data.invoiceId, event.data.version);
    return { ...state, versions };
  }
  if (event.type === 'BpjsBillLinesRecorded') return state;
  const dues = evolveDues(state.dues, event);
  return dues === state.dues ? state : { ...state, dues };
}

const noCounts = (): Record<BillDifference, number> =>
  Object.fromEntries(BILL_DIFFERENCES.map((code) => [code, 0])) as Record<BillDifference, number>;

/**
 * Compares the bill with the invoice's frozen roster, line by line, and records both: a row
 * billed for a NIK without an active line, a line the bill leaves out, an amount other than the
 * line's, a NIK billed twice, a NIK from a regency outside the program's owner region, a period
 * other than the invoice's month, a row with only a KPJ number. Nothing is changed on the
 * invoice: what to do about a difference is finance's decision (an adjustment, a call to BPJS).
 */
export function decideBpjsBill(command: RecordBpjsBill, state: BillState): BpjsBillEvent[] {
  const invoice = findInvoice(state.dues, command.invoiceId);
  if (!invoice) throw new RuleViolation('invoice.notFound', 'Tagihan (invoice) tidak ditemukan', 'not_found');
  if (invoice.cancelled) {
    throw new RuleViolation(
      'invoice.cancelled',
      'Invoice sudah dibatalkan; tagihan BPJS tidak dapat dicatat padanya',
      'conflict',
    );
  }
  const version = (state.versions.get(command.invoiceId) ?? 0) + 1;
  const billId = `${command.invoiceId}_bpjs_${version}`;
  const invoiced = { participants: invoice.activeLineCount, amount: invoice.totalAmount };
  const file = command.source === 'file' ? command.file : null;

  if (command.source === 'totals') {
    const { billed } = command;
    return [
      {
        type: 'BpjsBillRecorded',
        data: {
          invoiceId: command.invoiceId,
          billId,
          version,
          source: 'totals',
          file,
          receivedOn: command.receivedOn,
          billed,
          invoiced,
          difference: difference(billed, invoiced),
          differenceCounts: noCounts(),
          lineCount: 0,
          matchedRows: 0,
        },
      },
    ];
  }

  if (command.rows.length === 0) {
    throw new RuleViolation('bill.file.noRows', 'Berkas tagihan tidak memuat baris data', 'unprocessable', {
      field: 'file',
    });
  }
  const lines = compare(invoice, command.rows);
  const counts = noCounts();
  for (const line of lines) for (const code of line.differences) counts[code] += 1;
  const billed = {
    participants: command.rows.length,
    amount: command.rows.reduce((sum, r) => sum + r.amount, 0),
  };
  const events: BpjsBillEvent[] = [
    {
      type: 'BpjsBillRecorded',
      data: {
        invoiceId: command.invoiceId,
        billId,
        version,
        source: 'file',
        file,
        receivedOn: command.receivedOn,
        billed,
        invoiced,
        difference: difference(billed, invoiced),
        differenceCounts: counts,
        lineCount: lines.length,
        matchedRows: lines.filter((l) => l.row !== null && l.line !== null && l.differences.length === 0)
          .length,
      },
    },
  ];
  for (let from = 0; from < lines.length; from += BILL_LINES_PER_EVENT) {
    events.push({
      type: 'BpjsBillLinesRecorded',
      data: {
        invoiceId: command.invoiceId,
        billId,
        fromIndex: from,
        lines: lines.slice(from, from + BILL_LINES_PER_EVENT),
      },
    });
  }
  return events;
}

const difference = (billed: ControlTotals, invoiced: ControlTotals): ControlTotals => ({
  participants: billed.participants - invoiced.participants,
  amount: billed.amount - invoiced.amount,
});

/**
 * A row billed for a NIK this invoice does not cover may be covered by another program (of
 * another payer): the enrollments of other programs the NIK's registry names are kept on the
 * line, matched through the NIK's HMAC only; the reconciliation checks them against the other
 * programs' invoices of the month.
 */
function elsewhere(row: BilledRow, programId: string): Pick<BillLine, 'coveredElsewhere'> {
  const found = row.enrollmentIds
    .filter((id) => row.programOf?.[id] !== undefined && row.programOf[id] !== programId)
    .slice(0, MAX_ELSEWHERE)
    .map((enrollmentId) => ({ enrollmentId, programId: row.programOf![enrollmentId] }));
  return found.length > 0 ? { coveredElsewhere: found } : {};
}

/** Other programs' enrollments kept on one line at most (a NIK claims a few in its life). */
const MAX_ELSEWHERE = 20;

/** The rows in file order, then the active lines no row named, in line order. */
function compare(invoice: InvoiceState, rows: BilledRow[]): BillLine[] {
  const lineOf = new Map<string, number>();
  invoice.lines.forEach((enrollmentId, line) => lineOf.set(enrollmentId, line));
  const cancelled = new Set(invoice.cancelledLines);
  const { lineAmount, month, ownerRegion } = invoice.terms;
  const billedLines = new Set<number>();
  const firstRowOf = new Map<string, number>();
  const result: BillLine[] = [];

  for (const row of rows) {
    const differences: BillDifference[] = [];
    const identity = row.nikKey ? `nik:${row.nikKey}` : row.kpjKey ? `kpj:${row.kpjKey}` : null;
    const firstRow = identity ? firstRowOf.get(identity) : undefined;
    if (identity && firstRow === undefined) firstRowOf.set(identity, row.row);
    const duplicate = firstRow !== undefined;

    let line: number | null = null;
    if (row.nikKey) {
      for (const id of row.enrollmentIds) {
        const found = lineOf.get(id);
        if (found !== undefined && !cancelled.has(found)) {
          line = found;
          break;
        }
      }
      if (line === null) differences.push('tidak_tercakup');
      if (row.maskedNik && !insideRegion(row.maskedNik.slice(0, 4), ownerRegion))
        differences.push('luar_wilayah');
    } else differences.push('tanpa_nik');
    if (duplicate) differences.push('ganda');
    if (line !== null && !duplicate) {
      billedLines.add(line);
      if (row.amount !== lineAmount) differences.push('jumlah_berbeda');
    }
    if (row.period !== null && row.period !== month) differences.push('periode_berbeda');

    result.push({
      row: row.row,
      line,
      enrollmentId: line === null ? null : invoice.lines[line],
      nikKey: row.nikKey,
      maskedNik: row.maskedNik,
      maskedKpj: row.maskedKpj,
      period: row.period,
      billedAmount: row.amount,
      invoicedAmount: line === null ? null : lineAmount,
      differences: BILL_DIFFERENCES.filter((code) => differences.includes(code)),
      ...(duplicate ? { firstRow } : {}),
      ...(line === null && row.nikKey ? elsewhere(row, invoice.terms.programId) : {}),
    });
  }

  for (let line = 0; line < invoice.lines.length; line++) {
    if (cancelled.has(line) || billedLines.has(line)) continue;
    result.push({
      row: null,
      line,
      enrollmentId: invoice.lines[line],
      nikKey: null,
      maskedNik: null,
      maskedKpj: null,
      period: null,
      billedAmount: null,
      invoicedAmount: lineAmount,
      differences: ['tidak_ditagih'],
    });
  }
  return result;
}

/**
 * Whether a regency lies in the payer's region: a province owns the regencies that start with
 * its two digits, a regency only itself (an owner below a regency is held to its regency).
 */
function insideRegion(regency: string, ownerRegion: string): boolean {
  const owner = ownerRegion.replace(/\D/g, '');
  return owner.length <= 4 ? regency.startsWith(owner) : regency === owner.slice(0, 4);
}
