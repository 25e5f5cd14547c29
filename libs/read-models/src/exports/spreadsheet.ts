import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { END_REASONS } from '@ledger/ledger/enrollment/enrollment.events';
import { OCCUPATIONS } from '@ledger/ledger/shared/occupations';
import { spreadsheetCell } from '@ledger/ledger/shared/spreadsheet-cell';
import type { CellFormat, FormattedCell, ReportAbout, ReportColumn, ReportTable } from './report-table';

/**
 * The one place exports are written, for Excel and LibreOffice set to Indonesian:
 *
 * - CSV: `;` between fields, a byte-order mark, a decimal comma (`28,79`: with a point the
 *   id-ID locale reads the text "28.79"), whole numbers without grouping, dates as
 *   `YYYY-MM-DD` (read as dates in every locale), codes by their labels.
 * - XLSX: numbers as numbers with a format (`#.##0`, two decimals, `Rp#.##0`), dates and
 *   times as real dates (times in WIB), widths fitted to the content, the header frozen with
 *   an autofilter, and a title block above it (report, its facts, when it was generated).
 *
 * Every text cell is escaped against formula injection ({@link spreadsheetCell}).
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const WIB_OFFSET_MS = 7 * 3600_000;

/** Labels of the ledger's codes, as people in a regency office say them. */
const LABELS: Record<string, string> = {
  ...OCCUPATIONS,
  L: 'Laki-laki',
  P: 'Perempuan',
  national: 'Nasional',
  province: 'Provinsi',
  regency: 'Kabupaten/Kota',
  district: 'Kecamatan',
  village: 'Desa/Kelurahan',
  proposed: 'Diusulkan',
  approved: 'Disetujui',
  rejected: 'Ditolak',
  deregistered: 'Berhenti',
  pending: 'Menunggu verifikasi',
  active: 'Aktif',
  ended: 'Berakhir',
  notStarted: 'Belum mulai',
  'approved-not-yet-started': 'Disetujui, belum mulai',
  none: 'Tidak ada',
  accepted: 'Diterima',
  open: 'Berjalan',
  closed: 'Ditutup',
  up: 'Naik',
  down: 'Turun',
  same: 'Tetap',
  new: 'Baru',
  village_operator: 'Operator desa',
  program_admin: 'Admin program',
  finance: 'Keuangan',
  auditor: 'Auditor',
  viewer: 'Pembaca',
  ...Object.fromEntries(
    END_REASONS.map((reason) => [
      reason,
      {
        deceased: 'Meninggal dunia',
        aged_out: 'Melewati batas usia',
        moved_away: 'Pindah domisili',
        became_wage_earner: 'Menjadi pekerja penerima upah',
        duplicate: 'Data ganda',
        data_error: 'Kesalahan data',
        voluntary: 'Mengundurkan diri',
        lapsed: 'Iuran menunggak, kepesertaan berakhir',
      }[reason],
    ]),
  ),
};

/** The Indonesian label of a code, or the value itself when it is no code of the ledger. */
export function labelOf(value: unknown): unknown {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LABELS, value)
    ? LABELS[value]
    : value;
}

const isFormatted = (value: unknown): value is FormattedCell =>
  typeof value === 'object' && value !== null && 'format' in value && 'value' in value;

/** A cell's own format and value when it carries one, else the column's. */
function cellOf(column: ReportColumn, raw: unknown): { column: ReportColumn; value: unknown } {
  return isFormatted(raw)
    ? { column: { ...column, format: raw.format }, value: raw.value }
    : { column, value: raw };
}

/** What a cell holds once its format is known: the format `auto` columns get per value. */
function formatOf(column: ReportColumn, value: unknown): CellFormat {
  if (column.format) return column.format;
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  if (typeof value === 'string' && DAY.test(value)) return 'date';
  if (typeof value === 'string' && INSTANT.test(value)) return 'datetime';
  return 'text';
}

/** A number's text in a CSV for the id-ID locale: decimal comma, no grouping. */
function csvNumber(value: number, format: CellFormat): string {
  const text =
    format === 'percent' || format === 'decimal' ? String(Math.round(value * 100) / 100) : String(value);
  return text.replace('.', ',');
}

function csvCell(of: ReportColumn, raw: unknown): unknown {
  const { column, value } = cellOf(of, raw);
  if (value === null || value === undefined) return '';
  const format = formatOf(column, value);
  if (typeof value === 'number') return csvNumber(value, format);
  if (format === 'code') return spreadsheetCell(labelOf(value));
  if (typeof value === 'boolean') return value ? 'ya' : 'tidak';
  return spreadsheetCell(value);
}

/**
 * One table as CSV: `sheet` picks it by name or 1-based number (default the first); an
 * unknown one is undefined, for the caller to refuse.
 */
export function reportCsv(tables: ReportTable[], sheet?: string): string | undefined {
  const table = pickTable(tables, sheet);
  if (!table) return undefined;
  return stringify(
    table.rows.map((row) => table.columns.map((c) => csvCell(c, row[c.key]))),
    { header: true, columns: table.columns.map((c) => c.header), delimiter: ';', bom: true },
  );
}

export function pickTable(tables: ReportTable[], sheet?: string): ReportTable | undefined {
  if (sheet === undefined || sheet === '') return tables[0];
  if (/^\d+$/.test(sheet)) return tables[Number(sheet) - 1];
  return tables.find((t) => t.name.toLowerCase() === sheet.toLowerCase());
}

const NUMBER_FORMATS: Partial<Record<CellFormat, string>> = {
  integer: '#,##0',
  decimal: '#,##0.00',
  percent: '0.00',
  rupiah: '"Rp"#,##0',
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm:ss',
};

/** A cell's value and number format in XLSX; dates become real dates (times shown in WIB). */
function xlsxCell(
  of: ReportColumn,
  raw: unknown,
): { value: ExcelJS.CellValue; numFmt?: string; text: string } {
  const { column, value } = cellOf(of, raw);
  if (value === null || value === undefined) return { value: null, text: '' };
  const format = formatOf(column, value);
  const numFmt = NUMBER_FORMATS[format];
  if (typeof value === 'number') {
    const text = format === 'rupiah' ? `Rp${value.toLocaleString('id-ID')}` : value.toLocaleString('id-ID');
    return { value, numFmt, text };
  }
  if (format === 'date' && typeof value === 'string' && DAY.test(value)) {
    return { value: new Date(`${value}T00:00:00Z`), numFmt, text: '00/00/0000' };
  }
  if (format === 'datetime' && typeof value === 'string' && INSTANT.test(value)) {
    // Excel has no time zones: the cell holds the wall-clock time in WIB, as the sheet says.
    return { value: new Date(Date.parse(value) + WIB_OFFSET_MS), numFmt, text: '00/00/0000 00:00:00' };
  }
  const shown =
    format === 'code' ? labelOf(value) : typeof value === 'boolean' ? (value ? 'ya' : 'tidak') : value;
  const text = String(spreadsheetCell(typeof shown === 'string' ? shown : JSON.stringify(shown)));
  return { value: text, text };
}

/**
 * Widths fitted to the longest of the header and the first rows' texts, within bounds. At
 * least 10: ExcelJS takes a width of 9 for its default and leaves it out of the file.
 */
const MIN_WIDTH = 10;
const MAX_WIDTH = 60;
const WIDTH_SAMPLE = 2000;

/**
 * Every table as a sheet: a title block (title, facts, generation time) when `about` is
 * given, then the header, frozen, with an autofilter, then the rows.
 */
export async function reportXlsx(
  tables: ReportTable[],
  about?: ReportAbout,
  now = new Date(),
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = now;
  workbook.creator = 'Ledger Jaminan Sosial Pekerja Rentan';
  const generated = new Date(now.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.name));
    let headerRow = 1;
    if (about) {
      sheet.getCell(1, 1).value = String(spreadsheetCell(about.title));
      sheet.getCell(1, 1).font = { bold: true, size: 14 };
      const facts = [...about.facts, { label: 'Dibuat', value: `${generated} WIB` }];
      // One cell per fact, as text that runs on over the empty cells beside it: the first
      // column keeps the width of the table's first column.
      facts.forEach((fact, i) => {
        sheet.getCell(i + 2, 1).value = String(spreadsheetCell(`${fact.label}: ${fact.value ?? '–'}`));
      });
      headerRow = facts.length + 3; // a blank row between the block and the table
    }
    const widths = table.columns.map((c) => c.header.length);
    const header = sheet.getRow(headerRow);
    table.columns.forEach((c, i) => {
      header.getCell(i + 1).value = c.header;
    });
    header.font = { bold: true };
    table.rows.forEach((data, r) => {
      const row = sheet.getRow(headerRow + 1 + r);
      table.columns.forEach((c, i) => {
        const cell = xlsxCell(c, data[c.key]);
        const target = row.getCell(i + 1);
        target.value = cell.value;
        if (cell.numFmt) target.numFmt = cell.numFmt;
        if (r < WIDTH_SAMPLE) widths[i] = Math.max(widths[i], cell.text.length);
      });
    });
    widths.forEach((w, i) => {
      sheet.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2));
    });
    sheet.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }];
    // Printed (or saved as PDF) across one page's width, the header repeated on every page.
    sheet.pageSetup = {
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      paperSize: 9,
    };
    sheet.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
    if (table.columns.length > 0) {
      sheet.autoFilter = {
        from: { row: headerRow, column: 1 },
        to: { row: headerRow + table.rows.length, column: table.columns.length },
      };
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sheet names: at most 31 characters and none of `[]:*?/\`. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31);
}
