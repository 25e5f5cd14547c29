/**
 * Reading a bill BPJS sent (CSV or XLSX) row by row, with the readers, limits and encoding
 * handling of nomination imports. This layer turns cells into values and refuses what cannot
 * be read; matching against the invoice is the decider's.
 */
import type { Readable } from 'node:stream';
import { csvRows } from '../../enrollment/import/csv-rows';
import { DEFAULT_FILE_LIMITS, readingTurns, type ParseOptions } from '../../enrollment/import/file-limits';
import { isBlank, type CellOptions, type RawCell } from '../../enrollment/import/nomination-cells';
import type { NominationFileFormat } from '../../enrollment/import/nomination-file';
import type { SheetRow } from '../../enrollment/import/sheet-row';
import { xlsxRows } from '../../enrollment/import/xlsx-rows';
import { RuleViolation } from '../../shared/rule-violation';
import { billRowValues, type BillCellProblem, type BillRowValues } from './bpjs-bill-cells';
import {
  BILL_COLUMN_LABELS,
  matchBillHeader,
  missingBillFields,
  type BillHeader,
  type ColumnMapping,
} from './bpjs-bill-columns';

export interface BillRow {
  rowNumber: number;
  values: BillRowValues;
  problems: BillCellProblem[];
}

const HEADER_SEARCH_ROWS = 10;

/**
 * Streams the rows of a bill. The header is the first of the first ten non-blank rows that
 * names an amount and a NIK or KPJ column (title rows above it are skipped). File-level
 * problems throw a RuleViolation (422) naming the row and the columns; blank rows are skipped
 * and counted, so row numbers are the spreadsheet's.
 */
export async function* parseBillFile(
  input: Readable | Buffer,
  format: NominationFileFormat,
  mapping: ColumnMapping,
  options: ParseOptions = {},
): AsyncGenerator<BillRow, void, undefined> {
  const cellOptions: CellOptions = {};
  const limits = { ...DEFAULT_FILE_LIMITS, ...options.limits };
  const rows: AsyncGenerator<SheetRow> =
    format === 'csv' ? csvRows(input, options.encoding ?? 'utf-8') : xlsxRows(input, cellOptions);
  const turn = readingTurns(options.signal);
  let header: BillHeader | undefined;
  let best: { rowNumber: number; missing: string[]; match: BillHeader } | undefined;
  let searched = 0;
  let dataRows = 0;
  let blankRun = 0;
  const blank = (row: SheetRow) => {
    if (++blankRun > limits.maxBlankRun) {
      throw new RuleViolation(
        'import.file.blankRows',
        `Lebih dari ${limits.maxBlankRun.toLocaleString('id-ID')} baris kosong berturut-turut mulai baris ${row.rowNumber - blankRun + 1}.`,
        'unprocessable',
        { row: row.rowNumber - blankRun + 1 },
      );
    }
  };
  for await (const row of rows) {
    await turn();
    if (header) {
      const known = [...header.columns.values()];
      if (known.every((index) => isBlank(row.cells[index]))) {
        blank(row);
        continue;
      }
      blankRun = 0;
      if (isTotalsRow(row, header)) continue;
      if (++dataRows > limits.maxRows) {
        throw new RuleViolation(
          'import.file.tooManyRows',
          `Tagihan memuat lebih dari ${limits.maxRows.toLocaleString('id-ID')} baris data.`,
          'unprocessable',
        );
      }
      yield { rowNumber: row.rowNumber, ...billRowValues(row.cells, header.columns, cellOptions) };
      continue;
    }
    if (row.cells.every(isBlank)) {
      blank(row);
      continue;
    }
    blankRun = 0;
    const match = matchBillHeader(row.cells.map(headerText), mapping);
    const missing = missingBillFields(match);
    if (missing.length === 0) {
      // A mapping that names no column of the header would silently read another one instead.
      if (match.unmatched.length > 0) throw unmatchedMapping(row.rowNumber, match, mapping);
      if (match.duplicates.length > 0) {
        const named = match.duplicates.map(
          ({ field, headers }) => `${BILL_COLUMN_LABELS[field]} (${headers.join(', ')})`,
        );
        throw new RuleViolation(
          'import.header.duplicate',
          `Kolom ganda pada baris judul (baris ${row.rowNumber}): ${named.join('; ')}. ` +
            'Hapus salah satu, atau sebutkan kolom yang dipakai dengan columns[...].',
          'unprocessable',
          { row: row.rowNumber, columns: match.duplicates.map(({ field }) => BILL_COLUMN_LABELS[field]) },
        );
      }
      header = match;
      continue;
    }
    const labels = missing.map((f) => (f === 'nik' ? 'NIK atau Nomor KPJ' : BILL_COLUMN_LABELS[f]));
    if (!best || labels.length < best.missing.length)
      best = { rowNumber: row.rowNumber, missing: labels, match };
    if (++searched === HEADER_SEARCH_ROWS) break;
  }
  if (header) return;
  if (!best) throw new RuleViolation('import.file.empty', 'Berkas tagihan kosong.', 'unprocessable');
  if (best.match.unmatched.length > 0) throw unmatchedMapping(best.rowNumber, best.match, mapping);
  throw new RuleViolation(
    'import.header.missing',
    `Kolom wajib tidak ditemukan: ${best.missing.join(', ')} (baris judul terdekat: baris ${best.rowNumber}). ` +
      'Tagihan harus memuat kolom NIK (atau Nomor KPJ) dan Iuran; untuk judul kolom lain, petakan dengan ' +
      'columns[nik], columns[kpj], columns[period], columns[amount].',
    'unprocessable',
    { row: best.rowNumber, columns: best.missing },
  );
}

function headerText(cell: RawCell): string {
  if (cell === undefined) return '';
  return cell instanceof Date ? cell.toISOString() : String(cell);
}

const TOTALS_LABEL = /^(?:grand\s*)?(?:sub\s*)?(?:total|jumlah)\b/i;

/**
 * The sum line bills end with ("Total", "Jumlah"), in a row that names nobody: not a person
 * billed. The totals the ledger compares are the rows' own sums.
 */
function isTotalsRow(row: SheetRow, header: BillHeader): boolean {
  for (const field of ['nik', 'kpj'] as const) {
    const index = header.columns.get(field);
    if (index !== undefined && !isBlank(row.cells[index])) return false;
  }
  return row.cells.some((cell) => typeof cell === 'string' && TOTALS_LABEL.test(cell.trim()));
}

function unmatchedMapping(rowNumber: number, match: BillHeader, mapping: ColumnMapping): RuleViolation {
  const named = match.unmatched.map((f) => `columns[${f}]=${JSON.stringify(mapping[f])}`);
  return new RuleViolation(
    'bill.columns.notFound',
    `Kolom yang dipetakan tidak ada pada baris judul (baris ${rowNumber}): ${named.join(', ')}. ` +
      'Tulis judul kolom persis seperti di berkas, atau huruf/nomor kolomnya.',
    'unprocessable',
    { row: rowNumber, field: `columns[${match.unmatched[0]}]` },
  );
}
