/**
 * Reading a nomination list (usulan BNBA) uploaded by a village operator, CSV or XLSX, one row
 * at a time. This layer only turns cells into normalised values and reports format problems;
 * NIK rules, region existence and age are checked by the domain afterwards.
 */
import type { Readable } from 'node:stream';
import { csvRows } from './csv-rows';
import {
  DEFAULT_FILE_LIMITS,
  readingTurns,
  type NominationFileLimits,
  type ParseOptions,
} from './file-limits';
import { COLUMN_LABELS, matchHeader, REQUIRED_FIELDS, type HeaderMatch } from './nomination-columns';
import { isBlank, normaliseRow, type CellOptions, type RawCell } from './nomination-cells';
import { NominationFileError, type NominationRow } from './nomination-row';
import type { SheetRow } from './sheet-row';
import { xlsxRows } from './xlsx-rows';

export type NominationFileFormat = 'csv' | 'xlsx';

// ---------------------------------------------------------------------------------------------
// Format detection

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // 'PK\x03\x04': every XLSX is a zip
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls (Excel 97–2003), not supported

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'text/plain'];

/**
 * Decides how to read an upload. The first bytes win over the name and the content type, which
 * browsers guess from the extension (Windows sends 'application/vnd.ms-excel' for a .csv when
 * Excel is installed). Returns null for anything this layer cannot read, e.g. a legacy .xls,
 * which the operator has to save again as .xlsx or CSV.
 */
export function detectFormat(
  filename: string | null | undefined,
  contentType: string | null | undefined,
  firstBytes: Uint8Array | null | undefined,
): NominationFileFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const claimsXlsx = extension === 'xlsx' || type === XLSX_TYPE;
  const claimsCsv = extension === 'csv' || extension === 'txt' || CSV_TYPES.includes(type);

  if (firstBytes && firstBytes.length > 0) {
    if (startsWith(firstBytes, ZIP_MAGIC)) return 'xlsx';
    if (startsWith(firstBytes, OLE2_MAGIC)) return null;
    // NUL bytes: binary, or UTF-16 text ("Unicode Text" from Excel), which is not read here.
    if (firstBytes.includes(0)) return null;
    // Text that claims to be a workbook is something else (an HTML table saved as .xls, ...).
    if (claimsXlsx || extension === 'xls') return null;
    return 'csv';
  }
  if (claimsXlsx) return 'xlsx';
  if (claimsCsv) return 'csv';
  return null;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/**
 * Streams the rows of a nomination list.
 *
 * - File-level problems throw {@link NominationFileError} from the iteration (not from this
 *   call): 'import.file.empty' for a file without any non-blank row, 'import.header.missing' /
 *   'import.header.duplicate' for the header, 'import.file.unreadable' for a broken file. A
 *   broken CSV can fail after some rows were yielded; the caller must then drop the whole import.
 * - A file with a header and no data rows yields nothing and does not throw: whether an empty
 *   list is acceptable is the caller's decision.
 * - Blank rows, and rows whose known columns are all empty (templates number their rows in
 *   advance), are skipped but still counted, so row numbers match what Excel shows.
 * - Title rows above the header ('DAFTAR USULAN PESERTA ...') are skipped: the header is the
 *   first of the first {@link HEADER_SEARCH_ROWS} non-blank rows naming at least
 *   {@link HEADER_MIN_REQUIRED} required columns.
 */
export async function* parseNominationFile(
  input: Readable | Buffer,
  format: NominationFileFormat,
  options: ParseOptions = {},
): AsyncGenerator<NominationRow, void, undefined> {
  const cellOptions: CellOptions = {};
  const limits = { ...DEFAULT_FILE_LIMITS, ...options.limits };
  let rows: AsyncGenerator<SheetRow>;
  if (format === 'csv') rows = csvRows(input, options.encoding ?? 'utf-8');
  else if (format === 'xlsx') rows = xlsxRows(input, cellOptions);
  else throw new TypeError(`unknown nomination file format: ${String(format)}`);
  yield* nominationRows(rows, cellOptions, limits, readingTurns(options.signal));
}

const HEADER_SEARCH_ROWS = 10;
/** Enough to tell a header from a title row, few enough that a header missing half its columns is still reported as such. */
const HEADER_MIN_REQUIRED = 3;

async function* nominationRows(
  rows: AsyncIterable<SheetRow>,
  cellOptions: CellOptions,
  limits: NominationFileLimits,
  turn: () => Promise<void>,
): AsyncGenerator<NominationRow> {
  let header: HeaderMatch | undefined;
  const candidates: { row: SheetRow; match: HeaderMatch }[] = [];
  let dataRows = 0;
  let blankRun = 0;
  // A run of blank rows is refused as soon as it is too long, before the rest is read: a
  // 2 MB file of a million empty lines costs a million rows of work otherwise.
  const blank = (row: SheetRow) => {
    if (++blankRun > limits.maxBlankRun) throw blankRows(row.rowNumber - blankRun + 1, limits.maxBlankRun);
  };

  for await (const row of rows) {
    await turn();
    if (header) {
      if ([...header.columns.values()].every((index) => isBlank(row.cells[index]))) {
        blank(row);
        continue;
      }
      blankRun = 0;
      if (++dataRows > limits.maxRows) throw tooManyRows(limits.maxRows);
      yield { rowNumber: row.rowNumber, ...normaliseRow(row.cells, header.columns, cellOptions) };
      continue;
    }
    if (row.cells.every(isBlank)) {
      blank(row);
      continue;
    }
    blankRun = 0;
    const match = matchHeader(row.cells.map(headerText));
    candidates.push({ row, match });
    if (REQUIRED_FIELDS.length - match.missing.length >= HEADER_MIN_REQUIRED) {
      header = checkedHeader(row, match);
    } else if (candidates.length === HEADER_SEARCH_ROWS) {
      throw missingColumns(candidates);
    }
  }

  if (header) return;
  if (candidates.length === 0) {
    throw new NominationFileError(
      'import.file.empty',
      'Berkas kosong: tidak ada baris judul kolom maupun data.',
    );
  }
  throw missingColumns(candidates);
}

function blankRows(from: number, limit: number): NominationFileError {
  return new NominationFileError(
    'import.file.blankRows',
    `Lebih dari ${limit.toLocaleString('id-ID')} baris kosong berturut-turut mulai baris ${from}. ` +
      'Hapus baris kosong dari berkas, lalu unggah ulang.',
    { rowNumber: from },
  );
}

function tooManyRows(limit: number): NominationFileError {
  return new NominationFileError(
    'import.file.tooManyRows',
    `Berkas memuat lebih dari ${limit.toLocaleString('id-ID')} baris data. Bagi berkas menjadi beberapa unggahan.`,
  );
}

function headerText(cell: RawCell): string {
  if (cell === undefined) return '';
  return cell instanceof Date ? cell.toISOString() : String(cell);
}

function checkedHeader(row: SheetRow, match: HeaderMatch): HeaderMatch {
  if (match.missing.length > 0) throw missingColumnsError(row.rowNumber, match);
  if (match.duplicates.length > 0) {
    const headers = match.duplicates.map(
      ({ field, headers }) => `${COLUMN_LABELS[field]} (${headers.join(', ')})`,
    );
    throw new NominationFileError(
      'import.header.duplicate',
      `Kolom ganda pada baris judul (baris ${row.rowNumber}): ${headers.join('; ')}. ` +
        'Hapus atau ganti nama salah satu kolom agar jelas kolom mana yang dipakai.',
      { columns: match.duplicates.map(({ field }) => COLUMN_LABELS[field]), rowNumber: row.rowNumber },
    );
  }
  return match;
}

/** No row looked like a header: report against the row that came closest. */
function missingColumns(candidates: { row: SheetRow; match: HeaderMatch }[]): NominationFileError {
  const best = candidates.reduce((a, b) => (b.match.missing.length < a.match.missing.length ? b : a));
  return missingColumnsError(best.row.rowNumber, best.match);
}

function missingColumnsError(rowNumber: number, match: HeaderMatch): NominationFileError {
  const missing = match.missing.map((field) => COLUMN_LABELS[field]);
  const required = REQUIRED_FIELDS.map((field) => COLUMN_LABELS[field]).join(', ');
  return new NominationFileError(
    'import.header.missing',
    `Kolom wajib tidak ditemukan: ${missing.join(', ')}. ` +
      `Baris judul (baris ${rowNumber}) harus memuat kolom ${required}; kolom No HP boleh ada.`,
    { columns: missing, rowNumber },
  );
}
