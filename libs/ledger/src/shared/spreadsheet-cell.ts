/**
 * Every cell this ledger writes into a CSV or XLSX file goes through {@link spreadsheetCell}.
 *
 * Excel (and LibreOffice, Google Sheets) run a cell that starts with '=', '+', '-' or '@' as a
 * formula, also after a leading tab or carriage return, and also for the full-width forms of
 * those signs that an Indonesian IME can type. Exported cells hold what others wrote: an actor
 * id from a token, a correlation id from a header, an occupation typed by an operator and quoted
 * in a reason. A leading apostrophe makes the spreadsheet show such text as text (OWASP "CSV
 * injection"); numbers, dates and booleans are left as they are, they cannot hold a formula.
 */
export function spreadsheetCell<T>(value: T): T | string {
  if (typeof value !== 'string') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
