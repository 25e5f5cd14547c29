import type { EventStore } from '@ledger/event-store';
import {
  BILL_DIFFERENCES,
  BILL_DIFFERENCE_LABELS,
  type BillDifference,
  type BillLine,
  type BpjsBillEvent,
} from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.events';
import type { DuesEvent } from '@ledger/ledger/contributions/contribution.events';
import { parseInvoiceId } from '@ledger/ledger/contributions/dues.state';
import { streams } from '@ledger/ledger/shared/streams';

type Recorded = Extract<BpjsBillEvent, { type: 'BpjsBillRecorded' }>['data'];

/** A line of the report: the NIK masked only, each difference with its code and label. */
export interface BillReportLine extends Omit<BillLine, 'nikKey' | 'differences'> {
  index: number;
  differences: { code: BillDifference; label: string }[];
}

export interface BillReport {
  invoiceId: string;
  programId: string;
  month: string;
  ownerRegion: string;
  billId: string;
  version: number;
  /** How many versions the invoice's bill has (earlier ones stay readable with `?version=`). */
  versions: number;
  source: Recorded['source'];
  file: Recorded['file'];
  receivedOn: string;
  recordedAt: string;
  billed: Recorded['billed'];
  invoiced: Recorded['invoiced'];
  difference: Recorded['difference'];
  differences: { code: BillDifference; label: string; lines: number }[];
  lineCount: number;
  matchedRows: number;
}

export interface BillReportQuery {
  version?: number;
  /** Only the lines with this difference; `cocok` for the rows that match with none. */
  difference?: BillDifference | 'cocok';
  offset?: number;
  limit?: number;
}

/**
 * The bill of an invoice as recorded, with its lines. Read from the month's dues stream itself
 * (like the participant history): the bill, its lines and the invoice it was compared with
 * live there together, so the report is never behind the write that recorded it.
 * Undefined when the invoice has no bill (or no such version).
 */
export async function bpjsBill(
  store: EventStore,
  invoiceId: string,
  version?: number,
): Promise<{ report: BillReport; lines: BillLine[] } | undefined> {
  const target = parseInvoiceId(invoiceId);
  if (!target) return undefined;
  const events = await store.readStream(streams.dues(target.programId, target.month));
  let ownerRegion = '';
  let versions = 0;
  let chosen: { data: Recorded; recordedAt: string } | undefined;
  let lines: BillLine[] = [];
  for (const recorded of events) {
    const event = recorded as unknown as DuesEvent;
    if (event.type === 'InvoiceIssued' && event.data.invoiceId === invoiceId)
      ownerRegion = event.data.ownerRegion;
    if (event.type === 'BpjsBillRecorded' && event.data.invoiceId === invoiceId) {
      versions = event.data.version;
      if (version === undefined || event.data.version === version) {
        chosen = { data: event.data, recordedAt: recorded.metadata.occurredAt };
        lines = [];
      }
    }
    if (event.type === 'BpjsBillLinesRecorded' && event.data.billId === chosen?.data.billId) {
      lines.push(...event.data.lines);
    }
  }
  if (!chosen) return undefined;
  const { data } = chosen;
  return {
    report: {
      invoiceId,
      programId: target.programId,
      month: target.month,
      ownerRegion,
      billId: data.billId,
      version: data.version,
      versions,
      source: data.source,
      file: data.file,
      receivedOn: data.receivedOn,
      recordedAt: chosen.recordedAt,
      billed: data.billed,
      invoiced: data.invoiced,
      difference: data.difference,
      differences: BILL_DIFFERENCES.map((code) => ({
        code,
        label: BILL_DIFFERENCE_LABELS[code],
        lines: data.differenceCounts[code] ?? 0,
      })),
      lineCount: data.lineCount,
      matchedRows: data.matchedRows,
    },
    lines,
  };
}

/** The lines of a report as shown: the HMAC left out, the differences labelled. */
export function reportLines(lines: BillLine[], query: BillReportQuery = {}): BillReportLine[] {
  const result: BillReportLine[] = [];
  lines.forEach(({ nikKey: _key, coveredElsewhere: _elsewhere, differences, ...line }, index) => {
    const wanted =
      query.difference === undefined ||
      (query.difference === 'cocok'
        ? differences.length === 0 && line.row !== null
        : differences.includes(query.difference));
    if (!wanted) return;
    result.push({
      index,
      ...line,
      differences: differences.map((code) => ({ code, label: BILL_DIFFERENCE_LABELS[code] })),
    });
  });
  return result;
}
