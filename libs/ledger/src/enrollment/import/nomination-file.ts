/**
 * Reading a nomination list (usulan BNBA) uploaded by a village operator, CSV or XLSX, one row
 * at a time. This layer only turns cells into normalised values and reports format problems;
 * NIK rules, region existence and age are checked by the domain afterwards.
 */
import { PassThrough, Readable, pipeline } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import unzipper, { type Entry as ZipEntry } from 'unzipper';
import { COLUMN_LABELS, matchHeader, REQUIRED_FIELDS, type HeaderMatch } from './nomination-columns';
import { isBlank, normaliseRow, type CellOptions, type RawCell } from './nomination-cells';
import { NominationFileError, type NominationRow } from './nomination-row';
import { eventLoopTurns } from '../../shared/event-loop-turns';
import type { TextEncodingName } from './text-encoding';

export * from './nomination-row';

/**
 * What one file may cost. The defaults fit the largest real list (1,000,000 rows, a province's
 * village apparatus); the API takes them from its configuration.
 */
export interface NominationFileLimits {
  /** Data rows (blank rows not counted). */
  maxRows: number;
  /** Consecutive blank rows: a template's pre-numbered rows, not a million empty lines. */
  maxBlankRun: number;
  /** XLSX: bytes of all its parts once inflated. */
  maxInflatedBytes: number;
  /** XLSX: inflated bytes per compressed byte, checked once the parts exceed 64 MiB inflated. */
  maxInflationRatio: number;
  /** XLSX: inflated size of the shared-strings part, which the reader keeps in memory. */
  maxSharedStringsBytes: number;
}

export const DEFAULT_FILE_LIMITS: NominationFileLimits = {
  maxRows: 1_000_000,
  maxBlankRun: 10_000,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxInflationRatio: 100,
  maxSharedStringsBytes: 256 * 1024 * 1024,
};

export interface ParseOptions {
  limits?: Partial<NominationFileLimits>;
  /** CSV only: how to decode the bytes (see text-encoding.ts); default UTF-8. */
  encoding?: TextEncodingName;
  /** Aborted when the client goes away: the iteration stops with 'import.cancelled'. */
  signal?: AbortSignal;
}

/** Turns of the event loop while a file is read; after each, a client gone stops the work. */
export function readingTurns(signal?: AbortSignal): () => Promise<void> {
  return eventLoopTurns(() => {
    if (signal?.aborted) throw cancelled();
  });
}

function cancelled(): NominationFileError {
  return new NominationFileError('import.cancelled', 'Unggahan dihentikan: klien menutup koneksi.');
}

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

// ---------------------------------------------------------------------------------------------
// Rows

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

/** One row of cells as the sheet holds it, before the header gives the cells a meaning. */
interface SheetRow {
  rowNumber: number;
  cells: RawCell[];
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

// ---------------------------------------------------------------------------------------------
// CSV

/** Lines sampled to choose the delimiter: the header, plus a few in case a title row comes first. */
const DELIMITER_SAMPLE_LINES = 5;
/**
 * The parser parses each piece it gets in one go, and a record shorter than the header (a
 * blank line, an unpadded row from Excel) costs it an error object of about 0.1 ms: a 64 KB
 * chunk of blank lines would hold the event loop for seconds. So it gets pieces of about
 * {@link LINES_PER_PIECE} lines, whatever the lines' length.
 */
const LINES_PER_PIECE = 128;

function* parserPieces(chunk: Buffer): Generator<Buffer> {
  let lines = 0;
  for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
  const size = Math.max(256, Math.floor((chunk.length * LINES_PER_PIECE) / Math.max(1, lines)));
  yield* slices(chunk, size);
}
/** Upper bound on what is held back for that sample, whatever the file looks like. */
const DELIMITER_SAMPLE_BYTES = 64 * 1024;

async function* csvRows(input: Readable | Buffer, encoding: TextEncodingName): AsyncGenerator<SheetRow> {
  const source = Buffer.isBuffer(input) ? Readable.from(slices(input)) : input;
  const chunks = decoded(source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>, encoding);
  try {
    // Hold back the start of the file to choose the delimiter, then hand it to the parser
    // followed by the rest of the stream; the file is never held in memory as a whole.
    const sample = await readSample(chunks);
    let head = sample.head;
    let delimiter: string = sniffDelimiter(head.toString('utf8'));
    // 'sep=;' on the first line is Excel's own delimiter hint; Excel does not show it as a row.
    const hint = /^(?:\uFEFF)?sep=([;,\t|])\r?\n/i.exec(head.subarray(0, 16).toString('utf8'));
    if (hint) {
      delimiter = hint[1];
      head = head.subarray(Buffer.byteLength(hint[0]));
    }

    const parser = parseCsv({
      delimiter,
      bom: true,
      // Excel pads short rows inconsistently; a missing cell is an empty cell, not a broken file.
      relax_column_count: true,
      // A stray quote inside an unquoted cell (Jl. "Melati") is text, not the start of a field.
      relax_quotes: true,
      // Blank lines are kept so that every record is one Excel row; they are skipped later.
      skip_empty_lines: false,
    });
    async function* rest(): AsyncGenerator<Buffer> {
      yield* parserPieces(head);
      if (sample.done) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        yield* parserPieces(toBuffer(next.value));
      }
    }
    // Errors on either side end up on the parser, where the loop below sees them.
    pipeline(Readable.from(rest()), parser, () => undefined);

    let rowNumber = 0;
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      yield { rowNumber, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new NominationFileError(
        'import.file.unreadable',
        `Berkas CSV tidak dapat dibaca sekitar baris ${String(error.lines ?? '?')}` +
          (error.code === 'CSV_QUOTE_NOT_CLOSED' ? ': ada tanda kutip (") yang tidak ditutup.' : '.') +
          ' Simpan ulang dari Excel sebagai CSV.',
        {},
        { cause: error },
      );
    }
    throw error;
  } finally {
    // Stopping early (the caller broke off) must not leave an upload stream hanging; this also
    // ends the iterator over it.
    if (!source.destroyed) source.destroy();
  }
}

/** A buffer in pieces, so that the parser hands rows over a piece at a time. */
export function* slices(buffer: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

/** Windows-1252 bytes as UTF-8 (a single-byte code page: chunk boundaries cannot split a character). */
function decoded(
  chunks: AsyncIterator<Buffer | string>,
  encoding: TextEncodingName,
): AsyncIterator<Buffer | string> {
  if (encoding === 'utf-8') return chunks;
  const decoder = new TextDecoder('windows-1252');
  return {
    async next() {
      const next = await chunks.next();
      return next.done
        ? next
        : { done: false, value: Buffer.from(decoder.decode(toBuffer(next.value)), 'utf8') };
    },
  };
}

async function readSample(chunks: AsyncIterator<Buffer | string>): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let bytes = 0;
  let newlines = 0;
  while (bytes < DELIMITER_SAMPLE_BYTES && newlines < DELIMITER_SAMPLE_LINES) {
    const next = await chunks.next();
    if (next.done) return { head: Buffer.concat(parts), done: true };
    const chunk = toBuffer(next.value);
    parts.push(chunk);
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) newlines += 1;
  }
  return { head: Buffer.concat(parts), done: false };
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * ';' or ','. Indonesian Excel writes ';' because ',' is its decimal separator. Counts outside
 * quotes over the first non-empty lines, so a comma inside a quoted name does not count, and a
 * title line without delimiters does not decide.
 */
export function sniffDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let inQuotes = false;
  let lines = 0;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (char === ';') semicolons += 1;
    else if (char === ',') commas += 1;
    else if (char === '\n' && semicolons + commas > 0 && ++lines >= DELIMITER_SAMPLE_LINES) break;
  }
  return semicolons > commas ? ';' : ',';
}

// ---------------------------------------------------------------------------------------------
// XLSX

async function* xlsxRows(input: Readable | Buffer, cellOptions: CellOptions): AsyncGenerator<SheetRow> {
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

/**
 * Inflates every part of an XLSX once, counting, before the reader sees it: the reader writes
 * worksheets it meets before the shared strings to temporary files and keeps the shared strings
 * in memory, so a 4 MB file that inflates to 4 GB would fill the disk or the heap. The sizes a
 * zip declares can lie, so the bytes themselves are counted, and the file refused as soon as a
 * limit is passed. zlib inflates on the thread pool; the event loop stays free.
 */
export async function checkXlsxInflation(
  input: Readable | Buffer,
  options: Pick<ParseOptions, 'limits' | 'signal'> & { directory?: ZipDirectory } = {},
): Promise<void> {
  const limits = { ...DEFAULT_FILE_LIMITS, ...options.limits };
  const declared = options.directory ?? new Map<string, DeclaredSize>();
  checkDeclaredSizes(declared, limits);
  const source = Buffer.isBuffer(input) ? Readable.from([input]) : input;
  let compressed = 0;
  let inflated = 0;
  const counted = new PassThrough();
  source.on('data', (chunk: Buffer) => (compressed += chunk.length));
  source.on('error', (error) => counted.destroy(error));
  source.pipe(counted);
  const zip = counted.pipe(unzipper.Parse({ forceStream: true }));
  const refuse = (what: string) =>
    new NominationFileError(
      'import.xlsx.inflation',
      `Berkas Excel terlalu besar setelah dibuka (${what}). Simpan ulang tanpa baris atau lembar kosong, ` +
        'atau bagi menjadi beberapa berkas.',
    );
  try {
    for await (const entry of zip as AsyncIterable<ZipEntry>) {
      const isSharedStrings = /(^|\/)sharedStrings\.xml$/i.test(entry.path);
      let part = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        if (options.signal?.aborted) throw cancelled();
        part += chunk.length;
        inflated += chunk.length;
        if (inflated > limits.maxInflatedBytes) throw refuse(`lebih dari ${mib(limits.maxInflatedBytes)}`);
        if (isSharedStrings && part > limits.maxSharedStringsBytes) {
          throw refuse(`teks bersama lebih dari ${mib(limits.maxSharedStringsBytes)}`);
        }
        if (inflated > RATIO_FROM_BYTES && inflated > compressed * limits.maxInflationRatio) {
          throw refuse(`lebih dari ${limits.maxInflationRatio} kali ukuran berkas`);
        }
        // Excel, LibreOffice and every library write true sizes in the central directory: a
        // part that inflates beyond what it declares was made to fool a reader.
        const size = declared.get(entry.path);
        if (size && part > size.uncompressed) throw refuse('lebih besar dari ukuran yang dinyatakan');
      }
    }
  } catch (error) {
    if (error instanceof NominationFileError) throw error;
    throw unreadableXlsx(error);
  } finally {
    source.unpipe(counted);
    if (!source.destroyed) source.destroy();
    counted.destroy();
    zip.destroy();
  }
}

export interface DeclaredSize {
  compressed: number;
  uncompressed: number;
}

/** What a zip's central directory declares for each entry, by name. */
export type ZipDirectory = Map<string, DeclaredSize>;

function checkDeclaredSizes(directory: ZipDirectory, limits: NominationFileLimits): void {
  let total = 0;
  for (const { compressed, uncompressed } of directory.values()) {
    total += uncompressed;
    const tooFar = uncompressed > RATIO_FROM_BYTES && uncompressed > compressed * limits.maxInflationRatio;
    if (tooFar || total > limits.maxInflatedBytes) {
      throw new NominationFileError(
        'import.xlsx.inflation',
        'Berkas Excel terlalu besar setelah dibuka (menurut daftar isinya). Simpan ulang tanpa baris atau ' +
          'lembar kosong, atau bagi menjadi beberapa berkas.',
      );
    }
  }
}

/**
 * Reads the central directory from the last bytes of a zip (the end record points at it).
 * Undefined when the tail does not hold it whole, or it is not what a zip would hold: the
 * inflation check then counts bytes without declared sizes to compare with.
 */
export function zipDirectory(tail: Buffer, fileSize: number): ZipDirectory | undefined {
  const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > tail.length) return undefined;
  const entries = tail.readUInt16LE(end + 10);
  const size = tail.readUInt32LE(end + 12);
  const offset = tail.readUInt32LE(end + 16);
  const start = tail.length - (fileSize - offset);
  if (start < 0 || start + size > end) return undefined;
  const directory: ZipDirectory = new Map();
  let at = start;
  for (let i = 0; i < entries; i += 1) {
    if (at + 46 > end || tail.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLength = tail.readUInt16LE(at + 28);
    const extra = tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
    const name = tail.toString('utf8', at + 46, at + 46 + nameLength);
    directory.set(name, { compressed: tail.readUInt32LE(at + 20), uncompressed: tail.readUInt32LE(at + 24) });
    at += 46 + nameLength + extra;
  }
  return directory;
}

/** Small files may inflate far (styles, a sheet of ten rows); the ratio matters for large ones. */
const RATIO_FROM_BYTES = 64 * 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('id-ID')} MiB`;
}

function unreadableXlsx(cause: unknown): NominationFileError {
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
