import { reportCsvOptions, reportRecord, type ImportReportRow } from './import-report.layout';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';

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
