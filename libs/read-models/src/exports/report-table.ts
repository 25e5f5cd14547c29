/**
 * How a column's cells are written. Absent: read from each value (a whole number is an
 * integer, another number a decimal, `YYYY-MM-DD` a date, an ISO instant a time, anything
 * else text).
 * - `percent`: a number that already is a percentage (28.79 for 28.79 %), two decimals;
 * - `rupiah`: whole rupiah, shown `Rp16.800`;
 * - `code`: a code of the ledger (occupation, sex, region level, status, reason) shown by its
 *   Indonesian label; values that are no known code (a program's name) stay as they are.
 */
export type CellFormat = 'text' | 'integer' | 'decimal' | 'percent' | 'rupiah' | 'date' | 'datetime' | 'code';

/** A cell whose format differs from its column's (a rupiah line in an (item, value) table). */
export interface FormattedCell {
  value: string | number | null;
  format: CellFormat;
}

export const formatted = (value: string | number | null, format: CellFormat): FormattedCell => ({
  value,
  format,
});

export interface ReportColumn {
  key: string;
  header: string;
  format?: CellFormat;
}

/**
 * A flat table of an answer: the layout its CSV and XLSX exports (and the CLI's tables)
 * share. CSV carries one table of an export (the first unless another is asked for), XLSX
 * every table as a sheet.
 */
export interface ReportTable {
  /** Sheet name in XLSX. */
  name: string;
  columns: ReportColumn[];
  rows: Record<string, unknown>[];
}

/**
 * What an XLSX sheet says about itself above its table: the report's title and facts such
 * as the region, the date, the log position it was read at. The time it was generated is
 * added by the writer.
 */
export interface ReportAbout {
  title: string;
  facts: { label: string; value: string | number | null }[];
}
