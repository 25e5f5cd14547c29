import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { labelOf, reportCsv, reportXlsx } from './spreadsheet';
import type { ReportTable } from './report-table';

/** What a client receives: the whole stream. */
const received = async (stream: Readable | undefined) => Buffer.concat(await stream!.toArray());
const csvOf = async (...args: Parameters<typeof reportCsv>) => {
  const stream = reportCsv(...args);
  return stream && (await received(stream)).toString('utf8');
};

const coverage: ReportTable = {
  name: 'Wilayah',
  columns: [
    { key: 'code', header: 'Kode' },
    { key: 'name', header: 'Nama' },
    { key: 'level', header: 'Tingkat', format: 'code' },
    { key: 'active', header: 'Peserta aktif' },
    { key: 'coverage', header: 'Cakupan (%)', format: 'percent' },
    { key: 'liability', header: 'Kewajiban iuran', format: 'rupiah' },
    { key: 'from', header: 'Mulai' },
    { key: 'recordedAt', header: 'Dicatat' },
  ],
  rows: [
    {
      code: '1603',
      name: 'Kabupaten Muara Enim dengan nama yang panjang sekali',
      level: 'regency',
      active: 26775,
      coverage: 28.79,
      liability: 449820000,
      from: '2025-10-01',
      recordedAt: '2026-11-30T17:30:00.000Z',
    },
    {
      code: '1603012011',
      name: '=HYPERLINK("x")',
      level: 'village',
      active: 3,
      coverage: 0.5,
      liability: null,
    },
  ],
};
const second: ReportTable = {
  name: 'Rincian',
  columns: [
    { key: 'key', header: 'Kategori', format: 'code' },
    { key: 'active', header: 'Peserta aktif' },
  ],
  rows: [
    { key: 'perangkat_desa', active: 24651 },
    { key: 'P', active: 10 },
    { key: 'Program Satu Nagari', active: 6200 },
  ],
};

describe('exports for Indonesian spreadsheets', () => {
  it('labels the ledger codes and leaves other values alone', () => {
    expect(labelOf('perangkat_desa')).toBe('Perangkat Desa');
    expect(labelOf('province')).toBe('Provinsi');
    expect(labelOf('deceased')).toBe('Meninggal dunia');
    expect(labelOf('Program Satu Nagari')).toBe('Program Satu Nagari');
    expect(labelOf('toString')).toBe('toString');
  });

  it('writes CSV with semicolons, a BOM, decimal commas, labels and escaped formulas; picks a table', async () => {
    const csv = (await csvOf([coverage, second]))!;
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\n');
    expect(lines[0]).toBe('Kode;Nama;Tingkat;Peserta aktif;Cakupan (%);Kewajiban iuran;Mulai;Dicatat');
    expect(lines[1]).toBe(
      '1603;Kabupaten Muara Enim dengan nama yang panjang sekali;Kabupaten/Kota;26775;28,79;449820000;2025-10-01;2026-11-30T17:30:00.000Z',
    );
    expect(lines[2]).toBe(`1603012011;"'=HYPERLINK(""x"")";Desa/Kelurahan;3;0,5;;;`);
    expect(await csvOf([coverage, second], 'rincian')).toContain('Perangkat Desa;24651');
    expect(await csvOf([coverage, second], '2')).toContain('Perempuan;10');
    expect(reportCsv([coverage, second], 'Peta')).toBeUndefined();
    expect(reportCsv([coverage, second], '3')).toBeUndefined();
  });

  it('writes XLSX with a title block, a frozen filtered header, real numbers, dates and fitted widths', async () => {
    const now = new Date('2026-12-01T02:00:00Z');
    const buffer = await received(
      reportXlsx(
        [coverage, second],
        {
          title: 'Cakupan kepesertaan',
          facts: [
            { label: 'Wilayah', value: '1603 Muara Enim' },
            { label: 'Posisi log', value: 1234 },
          ],
        },
        now,
      ),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Wilayah', 'Rincian']);
    const sheet = book.getWorksheet('Wilayah')!;
    expect(sheet.getCell('A1').value).toBe('Cakupan kepesertaan');
    expect(sheet.getCell('A2').value).toBe('Wilayah: 1603 Muara Enim');
    expect(sheet.getCell('A3').value).toBe('Posisi log: 1234');
    expect(sheet.getCell('A4').value).toBe('Dibuat: 2026-12-01 09:00:00 WIB');
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1 });
    // Header on row 6, after a blank row; frozen there, with the filter over the table.
    expect(sheet.getCell('A6').value).toBe('Kode');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });
    expect(sheet.autoFilter).toBe('A6:H8');
    const row = sheet.getRow(7);
    expect(row.getCell(1).value).toBe('1603');
    expect(row.getCell(3).value).toBe('Kabupaten/Kota');
    expect(row.getCell(4).value).toBe(26775);
    expect(row.getCell(4).numFmt).toBe('#,##0');
    expect(row.getCell(5).value).toBe(28.79);
    expect(row.getCell(5).numFmt).toBe('0.00');
    expect(row.getCell(6).value).toBe(449820000);
    expect(row.getCell(6).numFmt).toBe('"Rp"#,##0');
    expect(row.getCell(7).value).toEqual(new Date('2025-10-01T00:00:00Z'));
    expect(row.getCell(7).numFmt).toBe('dd/mm/yyyy');
    // 17:30 UTC is 00:30 the next day in WIB.
    expect(row.getCell(8).value).toEqual(new Date('2026-12-01T00:30:00Z'));
    expect(sheet.getRow(8).getCell(2).value).toBe(`'=HYPERLINK("x")`);
    expect(sheet.getRow(8).getCell(6).value).toBeNull();
    // The long name widens its column; short columns keep their header's width.
    expect(sheet.getColumn(2).width).toBe('Kabupaten Muara Enim dengan nama yang panjang sekali'.length + 2);
    expect(sheet.getColumn(1).width).toBe('1603012011'.length + 2);
    expect(book.getWorksheet('Rincian')!.getRow(7).getCell(1).value).toBe('Perangkat Desa');
  });

  it('writes a sheet without a title block with its header on the first row', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await received(reportXlsx([second])));
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('Kategori');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getCell('A4').value).toBe('Program Satu Nagari');
  });
});

describe('exports are streamed', () => {
  const ROWS = 50_000;
  /** A long table whose rows come one by one, counting how many were read. */
  function longTable() {
    const read = { rows: 0, finished: false, released: false };
    function* rows() {
      try {
        for (let i = 0; i < ROWS; i++) {
          read.rows += 1;
          yield { position: i + 1, type: 'EnrollmentApproved', actorId: `admin-${i % 7}`, at: '2026-03-01' };
        }
        read.finished = true;
      } finally {
        // Where a database cursor would be closed.
        read.released = true;
      }
    }
    const table = {
      name: 'Riwayat',
      columns: [
        { key: 'position', header: 'Posisi' },
        { key: 'type', header: 'Peristiwa' },
        { key: 'actorId', header: 'Pelaku' },
        { key: 'at', header: 'Tanggal' },
      ],
      rows: rows(),
    };
    return { table, read };
  }

  /** The first chunk a client gets, then it leaves. */
  async function firstChunk(stream: Readable): Promise<Buffer> {
    for await (const chunk of stream) {
      stream.destroy();
      return chunk as Buffer;
    }
    throw new Error('no output');
  }

  it('CSV: the first bytes leave before the rows are all read; a client that leaves stops the reading', async () => {
    const { table, read } = longTable();
    const first = await firstChunk(reportCsv([table])!);
    expect(first.toString('utf8').startsWith('\uFEFFPosisi;Peristiwa;Pelaku;Tanggal\n1;')).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.finished).toBe(false);
    expect(read.rows).toBeLessThan(ROWS);
    expect(read.released).toBe(true);
  });

  it('XLSX: the file starts before the rows are all read; a client that leaves stops the reading', async () => {
    const { table, read } = longTable();
    const stream = reportXlsx([table]);
    const first = await firstChunk(stream);
    expect(first.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip, already on its way
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(read.finished).toBe(false);
    expect(read.rows).toBeLessThan(ROWS);
    expect(read.released).toBe(true);
  });

  it('a streamed long sheet holds every row, its widths fitted to the first ones and its filter over all', async () => {
    const { table, read } = longTable();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await received(reportXlsx([table])));
    expect(read.finished).toBe(true);
    const sheet = book.worksheets[0];
    expect(sheet.autoFilter).toBe(`A1:D${ROWS + 1}`);
    expect(sheet.getRow(ROWS + 1).getCell(1).value).toBe(ROWS);
    expect(sheet.getRow(ROWS + 1).getCell(4).value).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(sheet.getColumn(2).width).toBe('EnrollmentApproved'.length + 2);
    const csv = (await csvOf([longTable().table]))!;
    expect(csv.trim().split('\n')).toHaveLength(ROWS + 1);
  });
});
