/**
 * A flat table of an answer: the layout its CSV and XLSX exports (and the CLI's tables)
 * share. CSV carries the first table of an export, XLSX every table as a sheet.
 */
export interface ReportTable {
  /** Sheet name in XLSX. */
  name: string;
  columns: { key: string; header: string }[];
  rows: Record<string, unknown>[];
}
