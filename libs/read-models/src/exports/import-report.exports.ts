import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { REPORT_HEADERS, reportCsvOptions, reportRecord, type ImportReportRow } from './import-report.layout';

/**
 * An import's report as the operator downloads it, streamed from the rows as they are read:
 * CSV with a byte-order mark, one line per row of the uploaded file.
 */
export function importReportCsv(rows: AsyncIterable<ImportReportRow>): Readable {
  return Readable.from(csvRecords(rows)).pipe(stringify({ ...reportCsvOptions(), bom: true }));
}

/** The same report as one JSON document, `{ importId, rows: [...] }`. */
export function importReportJson(id: string, rows: AsyncIterable<ImportReportRow>): Readable {
  return Readable.from(jsonReport(id, rows));
}

async function* csvRecords(rows: AsyncIterable<ImportReportRow>): AsyncGenerator<(string | number)[]> {
  for await (const row of rows) yield reportRecord(row);
}

async function* jsonReport(id: string, rows: AsyncIterable<ImportReportRow>): AsyncGenerator<string> {
  yield `{"importId":${JSON.stringify(id)},"rows":[`;
  let first = true;
  for await (const row of rows) {
    yield `${first ? '' : ','}${JSON.stringify(row)}`;
    first = false;
  }
  yield ']}';
}

/** Widths of the report's columns: row, status, masked NIK, reasons, enrollment id. */
const XLSX_WIDTHS = [8, 12, 22, 90, 38];

/**
 * The same report as XLSX, written row by row into the stream as the rows are read (a
 * million rows never sit in memory): a title line, the header frozen with an autofilter,
 * the row number as a number. A slow client holds the writing back, as it does for CSV.
 */
export function importReportXlsx(id: string, rows: AsyncIterable<ImportReportRow>): Readable {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  void (async () => {
    const sheet = book.addWorksheet('Laporan impor', { views: [{ state: 'frozen', ySplit: 3 }] });
    sheet.columns = XLSX_WIDTHS.map((width) => ({ width }));
    const title = sheet.addRow([`Laporan impor ${id}`]);
    title.font = { bold: true, size: 14 };
    title.commit();
    sheet.addRow([]).commit();
    const header = sheet.addRow([...REPORT_HEADERS]);
    header.font = { bold: true };
    header.commit();
    let count = 0;
    for await (const row of rows) {
      sheet.addRow(reportRecord(row)).commit();
      count += 1;
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + count, column: REPORT_HEADERS.length } };
    sheet.commit();
    await book.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
