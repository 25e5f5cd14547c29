import { Readable } from 'node:stream';
import { blankLinesCsv, emptyRowsXlsx, inflatingXlsx } from './hostile-files';
import type { ParseOptions } from './file-limits';
import { parseNominationFile } from './nomination-file';
import { NominationFileError } from './nomination-row';
import { checkXlsxInflation, zipDirectory } from './xlsx-inflation';

const HEADER = 'NIK;Nama;Jenis Kelamin;Tanggal Lahir;Pekerjaan;Kode Desa;No HP\r\n';
const ROW = '1603014506870001;Siti Aminah;P;06/05/1987;PETANI;1603012011;081234567890\r\n';

async function outcome(input: Buffer | Readable, format: 'csv' | 'xlsx', options: ParseOptions = {}) {
  let rows = 0;
  try {
    for await (const _row of parseNominationFile(input, format, options)) rows += 1;
    return { rows };
  } catch (error) {
    expect(error).toBeInstanceOf(NominationFileError);
    const e = error as NominationFileError;
    return { rows, code: e.code, details: e.details };
  }
}

describe('limits of one nomination list', () => {
  it('refuses a run of blank lines as soon as it passes the limit, naming where it starts', async () => {
    const file = Buffer.concat([
      Buffer.from(HEADER + ROW),
      blankLinesCsv(50).subarray(HEADER.length),
      Buffer.from(ROW),
    ]);
    expect(await outcome(file, 'csv', { limits: { maxBlankRun: 60 } })).toEqual({ rows: 2 });
    expect(await outcome(file, 'csv', { limits: { maxBlankRun: 40 } })).toEqual({
      rows: 1,
      code: 'import.file.blankRows',
      details: { rowNumber: 3 },
    });
  });

  it('counts ";;;;;;" rows (every known column empty) as blank too', async () => {
    const file = Buffer.from(HEADER + ';;;;;;\r\n'.repeat(30) + ROW);
    expect(await outcome(file, 'csv', { limits: { maxBlankRun: 20 } })).toMatchObject({
      code: 'import.file.blankRows',
    });
  });

  it('a million blank lines stop at the default limit of 10,000 without reading the rest', async () => {
    let pulled = 0;
    const lines = blankLinesCsv(1_000_000);
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < lines.length; i += 16 * 1024) {
          pulled += 1;
          yield lines.subarray(i, i + 16 * 1024);
        }
      })(),
    );
    expect(await outcome(source, 'csv')).toMatchObject({ rows: 0, code: 'import.file.blankRows' });
    // 10,000 blank lines are 20 KB: far fewer than the 123 pieces of the file were read.
    expect(pulled).toBeLessThan(20);
  });

  it('refuses more data rows than the limit', async () => {
    const file = Buffer.from(HEADER + ROW.repeat(5));
    expect(await outcome(file, 'csv', { limits: { maxRows: 5 } })).toEqual({ rows: 5 });
    expect(await outcome(file, 'csv', { limits: { maxRows: 4 } })).toMatchObject({
      rows: 4,
      code: 'import.file.tooManyRows',
    });
  });

  it('decodes Windows-1252 when told to', async () => {
    const file = Buffer.from(HEADER + ROW.replace('Siti Aminah', 'André Smét'), 'latin1');
    const rows = [];
    for await (const row of parseNominationFile(file, 'csv', { encoding: 'windows-1252' })) rows.push(row);
    expect(rows.map((r) => r.values.name)).toEqual(['André Smét']);
  });

  it('stops with import.cancelled once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const file = Buffer.from(HEADER + ROW.repeat(20_000));
    expect(await outcome(file, 'csv', { signal: controller.signal })).toMatchObject({
      code: 'import.cancelled',
    });
  });

  it('gives timers their turn while it parses a large file', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    try {
      const file = Buffer.from(HEADER + ROW.repeat(5_000));
      expect(await outcome(file, 'csv')).toEqual({ rows: 5_000 });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses an XLSX of empty rows at the blank-row limit', async () => {
    expect(await outcome(emptyRowsXlsx(20_000), 'xlsx', { limits: { maxBlankRun: 1_000 } })).toMatchObject({
      rows: 0,
      code: 'import.file.blankRows',
    });
  });
});

describe('checkXlsxInflation', () => {
  async function refusal(bytes: Buffer, options: ParseOptions = {}) {
    return checkXlsxInflation(bytes, options).then(
      () => 'accepted',
      (error: NominationFileError) => error.code,
    );
  }

  it('accepts an ordinary workbook', async () => {
    expect(await refusal(emptyRowsXlsx(10))).toBe('accepted');
  });

  it('refuses a sheet inflating to 1 GB whose headers claim 1 MiB, by its ratio', async () => {
    expect(await refusal(inflatingXlsx(1_000_000_000))).toBe('import.xlsx.inflation');
  });

  it('refuses past the inflated-bytes limit and the shared-strings limit', async () => {
    expect(
      await refusal(inflatingXlsx(32 * 1024 * 1024), { limits: { maxInflatedBytes: 16 * 1024 * 1024 } }),
    ).toBe('import.xlsx.inflation');
    expect(await refusal(emptyRowsXlsx(10), { limits: { maxSharedStringsBytes: 100 } })).toBe(
      'import.xlsx.inflation',
    );
  });

  it('calls a file that is no zip unreadable', async () => {
    expect(await refusal(Buffer.from('PK\x03\x04 not really a zip'))).toBe('import.file.unreadable');
  });
});

describe('zipDirectory', () => {
  it('reads the sizes a zip declares, which the inflation check holds its parts to', async () => {
    const bomb = inflatingXlsx(32 * 1024 * 1024);
    const directory = zipDirectory(bomb, bomb.length)!;
    expect(directory.get('xl/worksheets/sheet1.xml')).toMatchObject({ uncompressed: 1024 * 1024 });
    expect(directory.get('xl/workbook.xml')?.uncompressed).toBeGreaterThan(0);
    // Below every limit by its size, but its sheet inflates past what it declares.
    await expect(checkXlsxInflation(bomb, { directory })).rejects.toMatchObject({
      code: 'import.xlsx.inflation',
    });
    await expect(checkXlsxInflation(bomb)).resolves.toBeUndefined();
  });

  it('is undefined for bytes without an end record', () => {
    expect(zipDirectory(Buffer.from('PK\x03\x04 no end'), 12)).toBeUndefined();
  });
});
