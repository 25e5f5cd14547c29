/** Reading the rows of the first worksheet of an XLSX nomination list, streaming. */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CellOptions, RawCell } from './nomination-cells';
import { NominationFileError } from './nomination-row';
import { slices, type SheetRow } from './sheet-row';

export async function* xlsxRows(
  input: Readable | Buffer,
  cellOptions: CellOptions,
): AsyncGenerator<SheetRow> {
  const source = Buffer.isBuffer(input) ? Readable.from(slices(input)) : input;
  // exceljs pipes its input into the unzipper, and a pipe does not pass errors on: an upload
  // that breaks off would leave the reader waiting forever. So the input is copied through a
  // stream that ends instead, and the error is thrown once exceljs has stopped.
  let inputError: unknown;
  async function* guarded(): AsyncGenerator<Buffer | string> {
    try {
      for await (const chunk of source) yield chunk as Buffer | string;
    } catch (error) {
      inputError = error;
    }
  }
  const feed = Readable.from(guarded());
  const zip = keepLastZipEntries(feed);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(feed, {
    worksheets: 'emit',
    // Cell text lives in the shared-strings part; the streaming reader has to keep it.
    sharedStrings: 'cache',
    // Without the styles a date cell arrives as its serial number instead of a Date.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  // Iterated by hand rather than with for-await: breaking out of for-await would close exceljs's
  // generators, and with them the code that deletes the temporary files it writes sheets to
  // (they hold names and NIKs). After an early stop they are drained instead, see below.
  const worksheets = workbook[Symbol.asyncIterator]();
  let rows: AsyncIterator<ExcelJS.Row> | undefined;
  let sheets = 0;
  let completed = false;
  try {
    for (let sheet = await worksheets.next(); !sheet.done; sheet = await worksheets.next()) {
      sheets += 1;
      rows = sheet.value[Symbol.asyncIterator]();
      // Later sheets (instructions, lookup lists) are read and dropped, for the same reason.
      if (sheets > 1) await drain(rows);
      else {
        cellOptions.date1904 = isDate1904(workbook);
        for (let row = await rows.next(); !row.done; row = await rows.next()) {
          yield { rowNumber: row.value.number, cells: rowCells(row.value) };
        }
      }
    }
    completed = true;
  } catch (error) {
    if (inputError !== undefined) throw inputError;
    throw unreadableXlsx(error);
  } finally {
    // Also reached when the caller stops early (a limit, the client gone): the input and the
    // unzipper are destroyed, so no more of the file is inflated or parsed. exceljs is then
    // left to run to its end in the background, never awaited: with its input gone it may
    // never settle (an entry cut off never ends), and waiting would hang the caller. When it
    // does end it deletes the temporary files it wrote sheets to; otherwise exceljs's own
    // cleanup at process exit does.
    if (!source.destroyed) source.destroy();
    if (!completed) {
      zip.current?.destroy();
      void abandon(rows, worksheets);
    }
  }
  if (inputError !== undefined) throw inputError;
  if (sheets === 0) {
    throw new NominationFileError(
      'import.xlsx.noWorksheet',
      'Berkas Excel tidak memuat lembar kerja (sheet) yang dapat dibaca.',
    );
  }
}

export function unreadableXlsx(cause: unknown): NominationFileError {
  return new NominationFileError(
    'import.file.unreadable',
    'Berkas Excel tidak dapat dibaca. Pastikan berkasnya .xlsx (bukan .xls) dan tidak rusak; ' +
      'simpan ulang dari Excel bila perlu.',
    {},
    { cause },
  );
}

async function abandon(
  rows: AsyncIterator<unknown> | undefined,
  worksheets: AsyncIterator<{ [Symbol.asyncIterator](): AsyncIterator<unknown> }>,
): Promise<void> {
  try {
    if (rows) await drain(rows);
    for (let sheet = await worksheets.next(); !sheet.done; sheet = await worksheets.next()) {
      await drain(sheet.value[Symbol.asyncIterator]());
    }
  } catch {
    // The file is being abandoned; this only gives exceljs its chance to clean up.
  }
}

async function drain(iterator: AsyncIterator<unknown>): Promise<void> {
  while (!(await iterator.next()).done);
}

/**
 * Works around a data-loss race in exceljs 4.4.0's streaming reader (exceljs issues #683 and
 * #3064, fix proposed in PR #2915, not released). The reader walks the zip entries with a helper
 * that stops at the first 'end' event; unzipper emits one as soon as it has consumed its input,
 * while the last entries can still wait in its buffer. Those entries are then silently skipped.
 * When the last entry is xl/sharedStrings.xml every text cell reads { sharedString: n }; when it
 * is xl/workbook.xml (exceljs writes it last) the reader crashes. Which entry is last depends on
 * the program that wrote the file, and whether it is lost depends on timing.
 *
 * The reader pipes its input into the unzipper, which is where this catches it: an 'end' that
 * comes while entries are still buffered is held back until the buffer has been handed over.
 * If exceljs stops piping, or unzipper stops ending early, this does nothing. Returns the
 * unzipper, so that an early stop can destroy it.
 */
function keepLastZipEntries(feed: Readable): { current?: Readable } {
  const captured: { current?: Readable } = {};
  const pipe = feed.pipe.bind(feed);
  feed.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    if (destination instanceof Readable) {
      const zip = destination;
      captured.current = zip;
      const emit = zip.emit.bind(zip);
      let endHeldBack = false;
      zip.emit = (event: string | symbol, ...args: unknown[]): boolean => {
        if (event === 'end' && zip.readableLength > 0) {
          endHeldBack = true;
          return true;
        }
        const listened = emit(event, ...args);
        if (event === 'data' && endHeldBack && zip.readableLength === 0) {
          endHeldBack = false;
          emit('end');
        }
        return listened;
      };
    }
    return pipe(destination, options);
  };
  return captured;
}

/**
 * The reader keeps the parsed workbookPr part as `properties`, unlike the Workbook type it is
 * declared with; the 1904 flag matters for dates typed as plain serial numbers.
 */
function isDate1904(workbook: unknown): boolean {
  const properties = (workbook as { properties?: { model?: { date1904?: unknown } } }).properties;
  return properties?.model?.date1904 === true || properties?.model?.date1904 === 1;
}

function rowCells(row: ExcelJS.Row): RawCell[] {
  // `values` is 1-based and sparse (index 0 is always empty): column A is values[1].
  const values = row.values as unknown[];
  const cells: RawCell[] = [];
  for (let column = 1; column < values.length; column += 1) cells.push(toRawCell(values[column]));
  return cells;
}

function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join('');
    }
    // A formula cell: the operator sees its result.
    if ('formula' in value || 'sharedFormula' in value)
      return 'result' in value ? toRawCell(value.result) : undefined;
    if ('text' in value) return toRawCell(value.text);
    // A text cell whose string table was never read: refuse the file rather than import
    // '[object Object]' (see keepLastZipEntries).
    if ('sharedString' in value) throw new Error('XLSX shared string table missing');
    // '#N/A' and friends: kept as text so the cell is reported as unreadable, not as empty.
    if ('error' in value) return String(value.error);
  }
  return String(value);
}
