import { isBlank, type CellOptions, type RawCell } from '../../enrollment/import/nomination-cells';
import type { YearMonth } from '../obligation';
import type { BillField } from './bpjs-bill-columns';

/**
 * A cell that cannot be read. Messages never repeat the cell (it may hold a NIK or a name,
 * and the refusal is shown and logged); the row and the column are how the operator finds it.
 */
export interface BillCellProblem {
  field: BillField;
  rule: string;
  message: string;
}

type Result<T> = { value: T } | { problem: Omit<BillCellProblem, 'field'> };

export interface BillRowValues {
  nik?: string;
  kpj?: string;
  period?: YearMonth;
  amount?: number;
}

/** Normalises the cells of one row of a bill; every cell that cannot be read is a problem. */
export function billRowValues(
  cells: readonly RawCell[],
  columns: ReadonlyMap<BillField, number>,
  options: CellOptions = {},
): { values: BillRowValues; problems: BillCellProblem[] } {
  const values: BillRowValues = {};
  const problems: BillCellProblem[] = [];
  const cellOf = (field: BillField) => {
    const index = columns.get(field);
    const cell = index === undefined ? undefined : cells[index];
    return cell === undefined || isBlank(cell) ? undefined : cell;
  };
  const apply = <F extends keyof BillRowValues>(
    field: F,
    read: (cell: Exclude<RawCell, undefined>) => Result<NonNullable<BillRowValues[F]>>,
  ) => {
    const cell = cellOf(field);
    if (cell === undefined) return;
    const result = read(cell);
    if ('value' in result) values[field] = result.value;
    else problems.push({ field, ...result.problem });
  };
  apply('nik', readNik);
  apply('kpj', readKpj);
  apply('period', (cell) => readPeriod(cell, options));
  apply('amount', readAmount);
  if (
    values.nik === undefined &&
    values.kpj === undefined &&
    !problems.some((p) => p.field === 'nik' || p.field === 'kpj')
  ) {
    problems.push({ field: 'nik', rule: 'bill.nik.required', message: 'NIK atau nomor KPJ wajib diisi.' });
  }
  if (values.amount === undefined && !problems.some((p) => p.field === 'amount')) {
    problems.push({ field: 'amount', rule: 'bill.amount.required', message: 'Iuran wajib diisi.' });
  }
  return { values, problems };
}

const NIK_EXCEL_NUMBER = {
  rule: 'bill.nik.excelNumber',
  message:
    'NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya bisa berubah. Format kolom NIK sebagai Teks.',
};

/** The NIK's form only: 16 digits (Excel's 15 significant digits are the danger, as in imports). */
function readNik(cell: Exclude<RawCell, undefined>): Result<string> {
  if (cell instanceof Date) return { problem: NIK_EXCEL_NUMBER };
  let text: string;
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell) || cell <= 0) return { problem: NIK_EXCEL_NUMBER };
    text = String(cell);
    if (text.length >= 16 && text.endsWith('0')) return { problem: NIK_EXCEL_NUMBER };
  } else {
    text = cell.trim().replace(/^'/, '');
    if (/^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(text)) return { problem: NIK_EXCEL_NUMBER };
    text = text.replace(/[\s.]/g, '');
  }
  if (!/^\d{16}$/.test(text))
    return { problem: { rule: 'bill.nik.format', message: 'NIK harus 16 digit angka.' } };
  return { value: text };
}

/** KPJ numbers are digits (11 in current cards), sometimes grouped or prefixed with letters. */
function readKpj(cell: Exclude<RawCell, undefined>): Result<string> {
  const text = (typeof cell === 'number' && Number.isSafeInteger(cell) ? String(cell) : String(cell))
    .trim()
    .replace(/^'/, '')
    .replace(/[\s.-]/g, '');
  if (!/^[A-Za-z0-9]{6,20}$/.test(text)) {
    return { problem: { rule: 'bill.kpj.format', message: 'Nomor KPJ harus 6–20 huruf atau angka.' } };
  }
  return { value: text.toUpperCase() };
}

const MONTHS: Readonly<Record<string, number>> = {
  januari: 1,
  january: 1,
  jan: 1,
  februari: 2,
  february: 2,
  pebruari: 2,
  feb: 2,
  peb: 2,
  maret: 3,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  mei: 5,
  may: 5,
  juni: 6,
  june: 6,
  jun: 6,
  juli: 7,
  july: 7,
  jul: 7,
  agustus: 8,
  august: 8,
  agu: 8,
  agt: 8,
  ags: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  oktober: 10,
  october: 10,
  okt: 10,
  oct: 10,
  november: 11,
  nopember: 11,
  nov: 11,
  nop: 11,
  desember: 12,
  december: 12,
  des: 12,
  dec: 12,
};

const yearMonth = (year: number, month: number): YearMonth | undefined =>
  year >= 2000 && year <= 2100 && month >= 1 && month <= 12
    ? `${year}-${String(month).padStart(2, '0')}`
    : undefined;

const BAD_PERIOD = {
  rule: 'bill.period.format',
  message: 'Periode harus bulan dan tahun, mis. 2026-10, 10/2026 atau Oktober 2026.',
};

/** '2026-10', '2026-10-01', '10/2026', '10-2026', '202610', 'Oktober 2026', 'Okt-26', a date cell. */
function readPeriod(cell: Exclude<RawCell, undefined>, options: CellOptions): Result<YearMonth> {
  let found: YearMonth | undefined;
  if (cell instanceof Date) found = yearMonth(cell.getUTCFullYear(), cell.getUTCMonth() + 1);
  else if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 200001 && cell <= 210012)
      found = yearMonth(Math.floor(cell / 100), cell % 100);
    else if (Number.isInteger(cell) && cell > 0 && cell < 100_000) {
      // A date serial the sheet did not format as a date.
      const epoch = options.date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
      const day = new Date(epoch + cell * 86_400_000);
      found = yearMonth(day.getUTCFullYear(), day.getUTCMonth() + 1);
    }
  } else {
    const text = cell.trim().toLowerCase();
    let m: RegExpExecArray | null;
    if ((m = /^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?$/.exec(text))) found = yearMonth(+m[1], +m[2]);
    else if ((m = /^(?:\d{1,2}[-/.])?(\d{1,2})[-/.](\d{4})$/.exec(text))) found = yearMonth(+m[2], +m[1]);
    else if ((m = /^(\d{4})(\d{2})$/.exec(text))) found = yearMonth(+m[1], +m[2]);
    else if ((m = /^([a-z]+)\.?[\s\-/]+'?(\d{2}|\d{4})$/.exec(text)) && MONTHS[m[1]]) {
      const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
      found = yearMonth(year, MONTHS[m[1]]);
    }
  }
  return found ? { value: found } : { problem: BAD_PERIOD };
}

const NOT_RUPIAH = {
  rule: 'bill.amount.format',
  message: 'Iuran harus rupiah bulat tanpa sen, mis. 16800, 16.800 atau Rp16.800.',
};

/**
 * Whole rupiah. Text as Indonesian sheets write it: '16.800', 'Rp 16.800', '16.800,00'; and
 * as English ones do: '16,800', '16800.00'. A fraction of a rupiah is refused, never rounded.
 */
function readAmount(cell: Exclude<RawCell, undefined>): Result<number> {
  if (cell instanceof Date) return { problem: NOT_RUPIAH };
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell)) return { problem: NOT_RUPIAH };
    if (cell < 0) return { problem: { rule: 'bill.amount.negative', message: 'Iuran tidak boleh negatif.' } };
    return { value: cell };
  }
  let text = cell
    .trim()
    .replace(/^rp\.?\s*/i, '')
    .replace(/\s/g, '');
  if (text.startsWith('-'))
    return { problem: { rule: 'bill.amount.negative', message: 'Iuran tidak boleh negatif.' } };
  // Zero cents, written either way, are dropped: '16.800,00', '16800.00', '16,800.00'.
  text = text.replace(/^(\d[\d.,]*?)[.,]0{1,2}$/, '$1');
  let digits: string | undefined;
  if (/^\d+$/.test(text)) digits = text;
  else if (/^\d{1,3}(?:\.\d{3})+$/.test(text) || /^\d{1,3}(?:,\d{3})+$/.test(text))
    digits = text.replace(/[.,]/g, '');
  if (digits === undefined || digits.length > 15) return { problem: NOT_RUPIAH };
  return { value: Number(digits) };
}
