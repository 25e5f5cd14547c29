/**
 * The result of a bulk import as a CSV the village operator opens in Excel: one line per row of
 * the uploaded file, saying whether it was accepted and why not.
 *
 * The report travels by e-mail and chat and is kept on office PCs, so it carries no personal
 * data beyond a masked NIK (UU 27/2022): no names, no full NIK, no birth dates. The row number
 * is what lets the operator find the row in the file they uploaded.
 */
import { stringify } from 'csv-stringify/sync';
import { maskNik } from '@ledger/ledger/participants/nik';
import { spreadsheetCell } from '@ledger/ledger/shared/spreadsheet-cell';

export interface ImportReportRow {
  /** Row number in the uploaded file, as Excel shows it (header = row 1). */
  rowNumber: number;
  status: 'accepted' | 'rejected';
  reasons: { rule: string; message: string }[];
  /** Already masked by the caller, e.g. with {@link maskNik}. */
  maskedNik?: string;
  enrollmentId?: string;
}

export const REPORT_HEADERS = ['Baris', 'Status', 'NIK (disamarkan)', 'Alasan', 'ID Pendaftaran'] as const;

const STATUS_LABELS: Readonly<Record<ImportReportRow['status'], string>> = {
  accepted: 'Diterima',
  rejected: 'Ditolak',
};

export interface ReportCsvOptions {
  /**
   * Default ';': Excel set to Indonesian uses ',' as the decimal separator and ';' between
   * fields, so a ','-separated file opens as one column there.
   */
  delimiter?: ';' | ',';
  /** Default true: without the byte-order mark Excel reads UTF-8 as the ANSI code page. */
  bom?: boolean;
}

export function toReportCsv(rows: Iterable<ImportReportRow>, options: ReportCsvOptions = {}): string {
  const records: (string | number)[][] = [];
  for (const row of rows) records.push(reportRecord(row));
  const csv = stringify(records, reportCsvOptions(options));
  return (options.bom ?? true) ? `\uFEFF${csv}` : csv;
}

/** The cells of one report line, escaped; the streamed download writes the same records. */
export function reportRecord(row: ImportReportRow): (string | number)[] {
  return [
    row.rowNumber,
    STATUS_LABELS[row.status],
    spreadsheetCell(row.maskedNik === undefined ? '' : ensureMasked(row.maskedNik)),
    spreadsheetCell(row.reasons.map(reasonText).join('; ')),
    spreadsheetCell(row.enrollmentId ?? ''),
  ];
}

/** csv-stringify options of the report (header, delimiter, CRLF), for the whole file or a stream. */
export function reportCsvOptions(options: Omit<ReportCsvOptions, 'bom'> = {}) {
  return {
    header: true,
    columns: [...REPORT_HEADERS],
    delimiter: options.delimiter ?? ';',
    record_delimiter: 'windows' as const,
  };
}

function reasonText(reason: { rule: string; message: string }): string {
  // Reasons also come from other modules; a full NIK in a message must not reach the report.
  return `${reason.message.replace(FULL_NIK, (nik) => maskNik(nik))} [${reason.rule}]`;
}

const FULL_NIK = /\d{16}/g;

/** A caller that passes the plain NIK by mistake gets it masked rather than published. */
function ensureMasked(nik: string): string {
  const compact = nik.replace(/[\s.]/g, '');
  return /\d{16}/.test(compact) ? maskNik(compact) : nik;
}
