import { PassThrough, pipeline, Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { END_REASONS } from '@ledger/ledger/enrollment/enrollment.events';
import { OCCUPATIONS } from '@ledger/ledger/shared/occupations';
import { spreadsheetCell } from '@ledger/ledger/shared/spreadsheet-cell';
import type { CellFormat, FormattedCell, ReportAbout, ReportColumn, ReportTable } from './report-table';

/** A table whose rows may also come one by one, as they are read. */
export interface StreamedTable extends Omit<ReportTable, 'rows'> {
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;
}

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
 *
 * Both are written as streams, row by row as the rows come: neither the file nor a model of
 * its cells is ever held whole, and a slow client holds the writing back.
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
 * One table as a CSV stream: `sheet` picks it by name or 1-based number (default the first);
 * an unknown one is undefined, for the caller to refuse.
 */
export function reportCsv(tables: StreamedTable[], sheet?: string): Readable | undefined {
  const table = pickTable(tables, sheet);
  if (!table) return undefined;
  async function* records() {
    for await (const row of table!.rows) yield table!.columns.map((c) => csvCell(c, row[c.key]));
  }
  const csv = stringify({
    header: true,
    columns: table.columns.map((c) => c.header),
    delimiter: ';',
    bom: true,
  });
  // A failure on either side ends both: the client sees the download break, not a hang.
  return pipeline(Readable.from(records()), csv, () => undefined);
}

export function pickTable<T extends { name: string }>(tables: T[], sheet?: string): T | undefined {
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

/** Rows written between two turns of the event loop, so that a long sheet never stalls other requests. */
const ROWS_PER_TURN = 100;

/**
 * Every table as a sheet, written into the returned stream as the rows come: a title block
 * (title, facts, generation time) when `about` is given, then the header, frozen, with an
 * autofilter, then the rows. Column widths are fitted to the first rows, so those (at most
 * {@link WIDTH_SAMPLE}) are held until the widths are known; the rest pass straight through.
 */
export function reportXlsx(tables: StreamedTable[], about?: ReportAbout, now = new Date()): Readable {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  book.created = now;
  book.modified = now;
  book.creator = 'Ledger Jaminan Sosial Pekerja Rentan';
  const generated = new Date(now.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  void (async () => {
    for (const table of tables) await writeSheet(book, out, table, about, generated);
    await book.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function writeSheet(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  out: PassThrough,
  table: StreamedTable,
  about: ReportAbout | undefined,
  generated: string,
): Promise<void> {
  const facts = about ? [...about.facts, { label: 'Dibuat', value: `${generated} WIB` }] : [];
  const headerRow = about ? facts.length + 3 : 1; // a blank row between the block and the table
  const rows = (table.rows as AsyncIterable<Record<string, unknown>>)[Symbol.asyncIterator]
    ? (table.rows as AsyncIterable<Record<string, unknown>>)[Symbol.asyncIterator]()
    : toAsync((table.rows as Iterable<Record<string, unknown>>)[Symbol.iterator]());
  const sample: Record<string, unknown>[] = [];
  while (sample.length < WIDTH_SAMPLE) {
    const next = await rows.next();
    if (next.done) break;
    sample.push(next.value);
  }
  const widths = table.columns.map((c) => c.header.length);
  for (const data of sample) {
    table.columns.forEach((c, i) => {
      widths[i] = Math.max(widths[i], xlsxCell(c, data[c.key]).text.length);
    });
  }
  // Views and page setup open the sheet's XML, so they are given before anything is written.
  const sheet = book.addWorksheet(sheetName(table.name), {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
    // Printed (or saved as PDF) across one page's width, the header repeated on every page.
    pageSetup: {
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      paperSize: 9,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
  });
  sheet.columns = widths.map((w) => ({ width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2)) }));
  if (about) {
    const title = sheet.getRow(1);
    title.getCell(1).value = String(spreadsheetCell(about.title));
    title.getCell(1).font = { bold: true, size: 14 };
    title.commit();
    // One cell per fact, as text that runs on over the empty cells beside it: the first
    // column keeps the width of the table's first column.
    facts.forEach((fact, i) => {
      const row = sheet.getRow(i + 2);
      row.getCell(1).value = String(spreadsheetCell(`${fact.label}: ${fact.value ?? '–'}`));
      row.commit();
    });
  }
  const header = sheet.getRow(headerRow);
  table.columns.forEach((c, i) => {
    header.getCell(i + 1).value = c.header;
  });
  header.font = { bold: true };
  header.commit();
  let count = 0;
  const write = async (data: Record<string, unknown>) => {
    const row = sheet.getRow(headerRow + 1 + count);
    table.columns.forEach((c, i) => {
      const cell = xlsxCell(c, data[c.key]);
      const target = row.getCell(i + 1);
      target.value = cell.value;
      if (cell.numFmt) target.numFmt = cell.numFmt;
    });
    row.commit();
    count += 1;
    if (out.writableNeedDrain) await drained(out);
    else if (count % ROWS_PER_TURN === 0) await nextTurn();
    // A client that went away ends the writing, and the reading of the rows with it.
    if (out.destroyed) throw new Error('Unduhan dihentikan oleh klien');
  };
  try {
    for (const data of sample) await write(data);
    sample.length = 0;
    for (let next = await rows.next(); !next.done; next = await rows.next()) await write(next.value);
  } finally {
    // Rows read from a database cursor release it, whether the sheet ended or was cut short.
    await rows.return?.();
  }
  if (table.columns.length > 0) {
    sheet.autoFilter = {
      from: { row: headerRow, column: 1 },
      to: { row: headerRow + count, column: table.columns.length },
    };
  }
  sheet.commit();
}

/** Until the stream can take more, or is gone (a client that left never drains it). */
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => iterator.next(),
    return: async () => iterator.return?.() ?? { done: true, value: undefined },
  };
}

/** Sheet names: at most 31 characters and none of `[]:*?/\`. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31);
}
