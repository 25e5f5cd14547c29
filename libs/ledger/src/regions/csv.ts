/**
 * A small RFC 4180 CSV parser: quoted fields may hold commas, line breaks and doubled
 * quotes (`""` → `"`); rows end with LF or CRLF (the region files use CRLF).
 *
 * Written by hand rather than with csv-parse because loading the region directory has to
 * stay well under a second and this is all the region files need. It scans char codes and
 * slices whole fields out of the text instead of building strings character by character.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  // A UTF-8 byte-order mark would otherwise end up in the first header name.
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let row: string[] = [];

  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      // Quoted field: runs to the next quote that is not doubled.
      let value = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) throw new CsvError('unterminated quoted field', text, i);
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      field = value;
      const next = text.charCodeAt(i);
      if (i < n && next !== COMMA && next !== LF && next !== CR) {
        throw new CsvError('unexpected character after a closing quote', text, i);
      }
    } else {
      let end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE) throw new CsvError('quote inside an unquoted field', text, end);
        end++;
      }
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);

    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      // A trailing comma at the very end still means one more (empty) field.
      if (i === n) row.push('');
    } else {
      if (c === CR && text.charCodeAt(i + 1) === LF) i += 2;
      else if (c === LF || c === CR) i += 1;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Rows as records keyed by the header, after checking the header is exactly what the caller expects. */
export function parseCsvRecords<K extends string>(
  text: string,
  columns: readonly K[],
  source = 'CSV',
): Record<K, string>[] {
  const [header, ...all] = parseCsv(text);
  // A blank line (often the last one) parses as a single empty field; it is not a record.
  const rows = all.filter((cells) => !(cells.length === 1 && cells[0] === ''));
  if (!header || header.join(',') !== columns.join(',')) {
    throw new Error(`${source}: expected header "${columns.join(',')}", found "${header?.join(',') ?? ''}"`);
  }
  return rows.map((cells, index) => {
    if (cells.length !== columns.length) {
      // +2: one for the header, one because people count lines from 1.
      throw new Error(`${source}: line ${index + 2} has ${cells.length} fields, expected ${columns.length}`);
    }
    const record = {} as Record<K, string>;
    columns.forEach((column, c) => (record[column] = cells[c] as string));
    return record;
  });
}

export class CsvError extends Error {
  constructor(reason: string, text: string, offset: number) {
    const line = countLines(text, offset);
    super(`CSV: ${reason} (line ${line})`);
    this.name = 'CsvError';
  }
}

function countLines(text: string, offset: number): number {
  let line = 1;
  for (let p = text.indexOf('\n'); p !== -1 && p < offset; p = text.indexOf('\n', p + 1)) line++;
  return line;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
