/**
 * Reading the SP2D export of the treasury system (SIPD), CSV or XLSX, with the readers and
 * limits of nomination imports. Columns are found by SIPD's field names (`nomor_sp_2_d`) or
 * their Indonesian labels (`Nomor SP2D`): both read the same once lower-cased and stripped of
 * everything but letters and digits. This layer turns cells into values; the rules are the
 * decider's.
 */
import type { Readable } from 'node:stream';
import { csvRows } from '../../enrollment/import/csv-rows';
import { DEFAULT_FILE_LIMITS, readingTurns, type ParseOptions } from '../../enrollment/import/file-limits';
import { isBlank, type RawCell } from '../../enrollment/import/nomination-cells';
import type { NominationFileFormat } from '../../enrollment/import/nomination-file';
import { xlsxRows } from '../../enrollment/import/xlsx-rows';
import { RuleViolation } from '../../shared/rule-violation';

export type Sp2dField =
  'number' | 'date' | 'amount' | 'sp2dType' | 'lsType' | 'spmNumber' | 'accountCode' | 'recipient' | 'bank';

/** The SIPD field name of each column, as the report names it. */
export const SP2D_COLUMNS: Record<Sp2dField, string> = {
  number: 'nomor_sp_2_d',
  date: 'tanggal_sp_2_d',
  amount: 'nilai_sp_2_d',
  sp2dType: 'jenis_sp_2_d',
  lsType: 'jenis_ls_sp_2_d',
  spmNumber: 'nomor_spm',
  accountCode: 'kode_rekening',
  recipient: 'nama_pihak_ketiga',
  bank: 'nama_bank',
};

const REQUIRED: Sp2dField[] = [
  'number',
  'date',
  'amount',
  'sp2dType',
  'spmNumber',
  'accountCode',
  'recipient',
  'bank',
];

/** Other labels exports use for the same columns, beside SIPD's own names. */
const ALIASES: Partial<Record<Sp2dField, string[]>> = {
  number: ['No SP2D', 'Nomor SP2D'],
  date: ['Tanggal SP2D', 'Tgl SP2D'],
  amount: ['Nilai SP2D', 'Nilai'],
  sp2dType: ['Jenis SP2D'],
  lsType: ['Jenis LS'],
  spmNumber: ['No SPM', 'Nomor SPM'],
  accountCode: ['Kode Rekening', 'Kode Rek'],
  recipient: ['Nama Pihak Ketiga', 'Pihak Ketiga'],
  bank: ['Nama Bank', 'Bank'],
};

const key = (label: string) => label.toLowerCase().replace(/[^a-z0-9]/g, '');

const LOOKUP = new Map<string, Sp2dField>();
for (const field of Object.keys(SP2D_COLUMNS) as Sp2dField[]) {
  LOOKUP.set(key(SP2D_COLUMNS[field]), field);
  for (const alias of ALIASES[field] ?? []) LOOKUP.set(key(alias), field);
}

export interface Sp2dRowValues {
  number?: string;
  date?: string;
  amount?: number;
  sp2dType?: string;
  lsType?: string;
  spmNumber?: string;
  accountCode?: string;
  recipient?: string;
  bank?: string;
}

export interface Sp2dCellProblem {
  field: Sp2dField;
  rule: string;
  message: string;
}

export interface Sp2dFileRow {
  rowNumber: number;
  values: Sp2dRowValues;
  problems: Sp2dCellProblem[];
}

const HEADER_SEARCH_ROWS = 10;

const NIK_SHAPED = /(^|\D)\d{16}(\D|$)/;

const text = (cell: RawCell): string | undefined => {
  if (isBlank(cell)) return undefined;
  return (cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell)).trim();
};

/** A day as exports write it: a date cell, 2026-01-14, 14/01/2026 or 14-01-2026. */
export function dayOf(cell: RawCell): string | undefined {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const value = text(cell);
  if (!value) return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(value);
  const dmy = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : undefined;
  if (!parts) return undefined;
  const [y, m, d] = parts;
  const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day ? day : undefined;
}

/** Rupiah as exports write them: a number, or `Rp449.820.000` / `449.820.000,00`; no fractions of a rupiah. */
export function rupiahOf(cell: RawCell): number | undefined {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell : undefined;
  const value = text(cell)?.replace(/^rp\.?\s*/i, '');
  if (!value || !/^\d{1,3}(\.\d{3})*(,00)?$|^\d+(,00)?$/.test(value)) return undefined;
  const amount = Number(value.replace(/,00$/, '').replace(/\./g, ''));
  return Number.isSafeInteger(amount) ? amount : undefined;
}

function rowValues(cells: RawCell[], columns: Map<Sp2dField, number>): Omit<Sp2dFileRow, 'rowNumber'> {
  const values: Sp2dRowValues = {};
  const problems: Sp2dCellProblem[] = [];
  for (const [field, index] of columns) {
    const cell = cells[index];
    if (isBlank(cell)) {
      if (REQUIRED.includes(field)) {
        problems.push({ field, rule: `${SP2D_COLUMNS[field]}.required`, message: 'wajib diisi' });
      }
      continue;
    }
    if (field === 'date') {
      const day = dayOf(cell);
      if (day) values.date = day;
      else
        problems.push({
          field,
          rule: 'tanggal_sp_2_d.date',
          message: 'bukan tanggal (YYYY-MM-DD atau DD/MM/YYYY)',
        });
    } else if (field === 'amount') {
      const amount = rupiahOf(cell);
      if (amount !== undefined) values.amount = amount;
      else problems.push({ field, rule: 'nilai_sp_2_d.rupiah', message: 'bukan nilai rupiah bulat' });
    } else if (NIK_SHAPED.test(text(cell)!)) {
      // Kept for ever in the log: a NIK typed into a free-text cell by mistake never reaches it.
      problems.push({
        field,
        rule: `${SP2D_COLUMNS[field]}.noNik`,
        message: 'memuat angka 16 digit seperti NIK',
      });
    } else {
      values[field] = text(cell);
    }
  }
  return { values, problems };
}

/**
 * Streams the rows of an SP2D export. The header is the first of the first ten non-blank rows
 * that names every required column; a file without one is refused (422) naming the columns
 * missing from the best candidate. Blank rows are skipped but counted, so row numbers are the
 * spreadsheet's.
 */
export async function* parseSp2dFile(
  input: Readable | Buffer,
  format: NominationFileFormat,
  options: ParseOptions = {},
): AsyncGenerator<Sp2dFileRow, void, undefined> {
  const limits = { ...DEFAULT_FILE_LIMITS, ...options.limits };
  const rows = format === 'csv' ? csvRows(input, options.encoding ?? 'utf-8') : xlsxRows(input, {});
  const turn = readingTurns(options.signal);
  let columns: Map<Sp2dField, number> | undefined;
  let best: Sp2dField[] = REQUIRED;
  let searched = 0;
  let dataRows = 0;
  let blankRun = 0;
  for await (const row of rows) {
    await turn();
    if (columns) {
      if ([...columns.values()].every((index) => isBlank(row.cells[index]))) {
        if (++blankRun > limits.maxBlankRun) {
          throw new RuleViolation(
            'import.file.blankRows',
            `Terlalu banyak baris kosong mulai baris ${row.rowNumber}`,
          );
        }
        continue;
      }
      blankRun = 0;
      if (++dataRows > limits.maxRows) {
        throw new RuleViolation(
          'import.file.tooManyRows',
          `Berkas memuat lebih dari ${limits.maxRows.toLocaleString('id-ID')} baris data.`,
        );
      }
      yield { rowNumber: row.rowNumber, ...rowValues(row.cells, columns) };
      continue;
    }
    if (row.cells.every(isBlank)) continue;
    const found = new Map<Sp2dField, number>();
    row.cells.forEach((cell, index) => {
      const field = typeof cell === 'string' ? LOOKUP.get(key(cell)) : undefined;
      if (field && !found.has(field)) found.set(field, index);
    });
    const missing = REQUIRED.filter((field) => !found.has(field));
    if (missing.length === 0) columns = found;
    else if (missing.length < best.length) best = missing;
    if (!columns && ++searched >= HEADER_SEARCH_ROWS) break;
  }
  if (!columns) {
    const names = best.map((field) => SP2D_COLUMNS[field]);
    throw new RuleViolation(
      'import.header.missing',
      `Kepala kolom SP2D tidak ditemukan: ${names.join(', ')} tidak ada`,
      'unprocessable',
      { field: 'file', columns: names },
      [{ field: 'file', rule: 'import.header.missing', message: `Kolom tidak ada: ${names.join(', ')}` }],
    );
  }
}
