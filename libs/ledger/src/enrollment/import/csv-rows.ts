/** Reading the rows of a CSV nomination list: the delimiter, the encoding, a streaming parser. */
import { Readable, pipeline } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import { NominationFileError } from './nomination-row';
import { slices, type SheetRow } from './sheet-row';
import type { TextEncodingName } from './text-encoding';

/** Lines sampled to choose the delimiter: the header, plus a few in case a title row comes first. */
const DELIMITER_SAMPLE_LINES = 5;
/**
 * The parser parses each piece it gets in one go, and a record shorter than the header (a
 * blank line, an unpadded row from Excel) costs it an error object: a 64 KB chunk of blank
 * lines would hold the event loop for long (`npm run bench -- --only hostile` shows how long).
 * So it gets pieces of about {@link LINES_PER_PIECE} lines, whatever the lines' length.
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

export async function* csvRows(
  input: Readable | Buffer,
  encoding: TextEncodingName,
): AsyncGenerator<SheetRow> {
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
