import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ExcelJS from 'exceljs';
import { sniffDelimiter } from './csv-rows';
import { detectFormat, parseNominationFile, type NominationFileFormat } from './nomination-file';
import { NominationFileError, type NominationRow } from './nomination-row';

// ---------------------------------------------------------------------------------------------
// Helpers: every test goes through real file bytes, as an upload would.

const HEADER = [
  'No',
  'NIK',
  'Nama',
  'Jenis Kelamin',
  'Tanggal Lahir',
  'Pekerjaan',
  'Kode Desa',
  'No HP',
  'Alamat',
];

type Column =
  'no' | 'nik' | 'name' | 'sex' | 'birthDate' | 'occupation' | 'villageCode' | 'phone' | 'address';
const COLUMN_ORDER: Column[] = [
  'no',
  'nik',
  'name',
  'sex',
  'birthDate',
  'occupation',
  'villageCode',
  'phone',
  'address',
];

const VALID: Record<Column, string> = {
  no: '1',
  nik: '1603015705900001',
  name: 'Siti Aminah',
  sex: 'P',
  birthDate: '17/05/1990',
  occupation: 'Petani',
  villageCode: '1603012001',
  phone: '081234567890',
  address: 'Dusun II, RT 01',
};

function dataRow(overrides: Partial<Record<Column, string>> = {}): string[] {
  return COLUMN_ORDER.map((column) => overrides[column] ?? VALID[column]);
}

interface CsvOptions {
  delimiter?: string;
  eol?: string;
  bom?: boolean;
}

/** Writes CSV the way Excel does: a field is quoted only when it has to be. */
function toCsv(rows: string[][], { delimiter = ';', eol = '\r\n', bom = false }: CsvOptions = {}): string {
  const field = (value: string): string =>
    value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return (bom ? '\uFEFF' : '') + rows.map((row) => row.map(field).join(delimiter)).join(eol) + eol;
}

async function collect(input: Readable | Buffer, format: NominationFileFormat): Promise<NominationRow[]> {
  const rows: NominationRow[] = [];
  for await (const row of parseNominationFile(input, format)) rows.push(row);
  return rows;
}

const parseCsv = (text: string): Promise<NominationRow[]> => collect(Buffer.from(text, 'utf8'), 'csv');

/** The single data row of a file with one row, with some cells replaced. */
async function parseRow(overrides: Partial<Record<Column, string>>): Promise<NominationRow> {
  const rows = await parseCsv(toCsv([HEADER, dataRow(overrides)]));
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function fileError(promise: Promise<unknown>): Promise<NominationFileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NominationFileError);
  return error as NominationFileError;
}

/** Splits bytes into tiny chunks, as a slow upload delivers them. */
function trickle(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

const rules = (row: NominationRow): string[] => row.problems.map((problem) => problem.rule);

// ---------------------------------------------------------------------------------------------

describe('detectFormat', () => {
  const zip = Buffer.from('PK\x03\x04rest-of-zip', 'latin1');
  const text = Buffer.from('NIK;Nama\r\n', 'utf8');

  it('trusts the zip signature over the name and content type', () => {
    expect(detectFormat('usulan.xlsx', XLSX, zip)).toBe('xlsx');
    expect(detectFormat('usulan.csv', 'text/csv', zip)).toBe('xlsx');
    expect(detectFormat(undefined, undefined, zip)).toBe('xlsx');
  });

  it('reads text as CSV, whatever content type the browser guessed for a .csv', () => {
    expect(detectFormat('usulan.csv', 'text/csv', text)).toBe('csv');
    expect(detectFormat('usulan.csv', 'application/vnd.ms-excel', text)).toBe('csv');
    expect(detectFormat('USULAN.CSV', 'text/csv; charset=utf-8', text)).toBe('csv');
    expect(detectFormat('usulan.txt', 'text/plain', text)).toBe('csv');
    expect(detectFormat('usulan', 'application/octet-stream', text)).toBe('csv');
  });

  it('refuses legacy .xls, binary and UTF-16 content, and text posing as a workbook', () => {
    expect(
      detectFormat('usulan.xls', 'application/vnd.ms-excel', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1])),
    ).toBeNull();
    expect(
      detectFormat('usulan.csv', 'text/csv', Buffer.from('\xff\xfeN\x00I\x00K\x00', 'latin1')),
    ).toBeNull();
    expect(detectFormat('usulan.xlsx', XLSX, text)).toBeNull();
    expect(detectFormat('usulan.xls', 'application/vnd.ms-excel', Buffer.from('<table>', 'utf8'))).toBeNull();
  });

  it('falls back to the name and content type when no bytes are at hand', () => {
    expect(detectFormat('usulan.xlsx', undefined, undefined)).toBe('xlsx');
    expect(detectFormat(undefined, XLSX, new Uint8Array())).toBe('xlsx');
    expect(detectFormat('usulan.csv', null, null)).toBe('csv');
    expect(detectFormat(null, 'text/csv', undefined)).toBe('csv');
    expect(detectFormat('usulan.pdf', 'application/pdf', undefined)).toBeNull();
    expect(detectFormat(undefined, undefined, undefined)).toBeNull();
  });
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('sniffDelimiter', () => {
  it('counts only delimiters outside quotes and skips title lines', () => {
    expect(sniffDelimiter('NIK;Nama;JK\n')).toBe(';');
    expect(sniffDelimiter('NIK,Nama,JK\n')).toBe(',');
    expect(sniffDelimiter('"Nama, lengkap";NIK;JK\n')).toBe(';');
    expect(sniffDelimiter('DAFTAR USULAN\nNIK;Nama;JK\n')).toBe(';');
    expect(sniffDelimiter('NIK\n')).toBe(',');
  });
});

describe('parseNominationFile: CSV', () => {
  const expectedValues = {
    nik: '1603015705900001',
    name: 'Siti Aminah',
    sex: 'P',
    birthDate: '1990-05-17',
    occupation: 'petani',
    villageCode: '1603012001',
    phone: '081234567890',
  };

  it.each<[string, CsvOptions]>([
    ["';' with CRLF and BOM (Indonesian Excel, CSV UTF-8)", { delimiter: ';', eol: '\r\n', bom: true }],
    ["',' with LF", { delimiter: ',', eol: '\n' }],
    ["',' with CRLF and BOM", { delimiter: ',', eol: '\r\n', bom: true }],
    ["';' with LF", { delimiter: ';', eol: '\n' }],
  ])('reads %s; the header is row 1', async (_label, options) => {
    const rows = await parseCsv(
      toCsv([HEADER, dataRow(), dataRow({ no: '2', nik: '1603011203850002' })], options),
    );
    expect(rows).toEqual([
      { rowNumber: 2, values: expectedValues, problems: [] },
      { rowNumber: 3, values: { ...expectedValues, nik: '1603011203850002' }, problems: [] },
    ]);
  });

  it('reads quoted fields holding the delimiter, quotes and line breaks; a multi-line cell is one row', async () => {
    const text = toCsv(
      [
        HEADER,
        dataRow({ name: 'Siti Aminah, S.Pd', address: 'Jl. "Melati"\nGang 2' }),
        dataRow({ name: 'Budi' }),
      ],
      { delimiter: ',' },
    );
    expect(text).toContain('"Siti Aminah, S.Pd"');
    const rows = await parseCsv(text);
    expect(rows.map((row) => [row.rowNumber, row.values.name])).toEqual([
      [2, 'Siti Aminah, S.Pd'],
      [3, 'Budi'],
    ]);
  });

  it('tolerates a stray quote inside an unquoted cell', async () => {
    const rows = await parseCsv(
      `${HEADER.join(';')}\n1;1603015705900001;Ma"ruf;L;17/05/1990;Petani;1603012001;;\n`,
    );
    expect(rows[0].values.name).toBe('Ma"ruf');
  });

  it('skips blank rows, delimiter-only rows and pre-numbered empty template rows, but keeps counting them', async () => {
    const empty = ';'.repeat(HEADER.length - 1);
    const text = [
      HEADER.join(';'),
      dataRow().join(';'),
      '',
      empty,
      '   ',
      dataRow({ name: 'Budi' }).join(';'),
      '3;;;;;;;;', // the template's "No" column is filled in, nothing else
      '',
      dataRow({ name: 'Citra' }).join(';'),
      '',
      '',
    ].join('\r\n');
    const rows = await parseCsv(text);
    expect(rows.map((row) => [row.rowNumber, row.values.name])).toEqual([
      [2, 'Siti Aminah'],
      [6, 'Budi'],
      [9, 'Citra'],
    ]);
  });

  it('finds the header below title rows and keeps the Excel row numbers', async () => {
    const text = toCsv([
      ['DAFTAR USULAN PESERTA BPJS KETENAGAKERJAAN', '', '', ''],
      ['DESA MUARA HARAPAN', '', '', ''],
      [],
      HEADER,
      dataRow(),
    ]);
    const rows = await parseCsv(text);
    expect(rows).toHaveLength(1);
    expect(rows[0].rowNumber).toBe(5);
  });

  it("honours Excel's 'sep=' line and does not count it as a row", async () => {
    const text = `sep=;\r\n${toCsv([HEADER, dataRow()], { delimiter: ';' })}`;
    const rows = await parseCsv(text);
    expect(rows).toEqual([{ rowNumber: 2, values: expectedValues, problems: [] }]);
  });

  it('reads a stream delivered one byte at a time, and string chunks', async () => {
    const bytes = Buffer.from(toCsv([HEADER, dataRow(), dataRow()], { bom: true }), 'utf8');
    expect(await collect(trickle(bytes, 1), 'csv')).toHaveLength(2);
    expect(await collect(Readable.from([bytes.toString('utf8')]), 'csv')).toHaveLength(2);
  });

  it('releases the upload stream when the caller stops early', async () => {
    const source = trickle(Buffer.from(toCsv([HEADER, dataRow(), dataRow(), dataRow()])), 10);
    for await (const row of parseNominationFile(source, 'csv')) {
      expect(row.rowNumber).toBe(2);
      break;
    }
    expect(source.destroyed).toBe(true);
  });

  it('passes on an error of the upload stream', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from(toCsv([HEADER, dataRow()]));
      throw new Error('connection reset');
    }
    await expect(collect(Readable.from(broken()), 'csv')).rejects.toThrow('connection reset');
  });

  describe('file-level problems', () => {
    it.each([
      ['an empty file', ''],
      ['only a byte-order mark', '\uFEFF'],
      ['only blank lines', '\r\n\r\n;;;\r\n'],
    ])('%s is import.file.empty', async (_label, text) => {
      const error = await fileError(parseCsv(text));
      expect(error.code).toBe('import.file.empty');
      expect(error.message).toMatch(/Berkas kosong/);
    });

    it('a header without data rows yields zero rows and no error', async () => {
      expect(await parseCsv(toCsv([HEADER]))).toEqual([]);
      expect(await parseCsv(toCsv([HEADER, [], ['', '', '']]))).toEqual([]);
    });

    it('names every missing required column, in Bahasa Indonesia', async () => {
      const header = ['No', 'NIK', 'Nama', 'Tanggal Lahir', 'Alamat'];
      const error = await fileError(
        parseCsv(toCsv([header, ['1', '1603015705900001', 'Siti', '17/05/1990', 'x']])),
      );
      expect(error.code).toBe('import.header.missing');
      expect(error.details).toEqual({ columns: ['Jenis Kelamin', 'Pekerjaan', 'Kode Desa'], rowNumber: 1 });
      expect(error.message).toMatch(/^Kolom wajib tidak ditemukan: Jenis Kelamin, Pekerjaan, Kode Desa\./);
      expect(error.message).toContain('baris 1');
    });

    it('reports missing columns when no row looks like a header, against the closest row', async () => {
      const error = await fileError(
        parseCsv(
          toCsv([
            ['Nomor', 'Nama', 'Alamat'],
            ['1', 'Siti', 'Dusun II'],
          ]),
        ),
      );
      expect(error.code).toBe('import.header.missing');
      expect(error.details.columns).toEqual([
        'NIK',
        'Jenis Kelamin',
        'Tanggal Lahir',
        'Pekerjaan',
        'Kode Desa',
      ]);
    });

    it('gives up looking for the header after 10 non-blank rows', async () => {
      const titles = Array.from({ length: 10 }, (_, i) => [`Judul ${i + 1}`, '']);
      const error = await fileError(parseCsv(toCsv([...titles, HEADER, dataRow()])));
      expect(error.code).toBe('import.header.missing');
      // With 9 title rows the header is still found.
      expect(await parseCsv(toCsv([...titles.slice(1), HEADER, dataRow()]))).toHaveLength(1);
    });

    it('does not require No HP', async () => {
      const header = HEADER.filter((h) => h !== 'No HP');
      const row = dataRow().filter((_, i) => HEADER[i] !== 'No HP');
      const rows = await parseCsv(toCsv([header, row]));
      expect(rows[0].problems).toEqual([]);
      expect(rows[0].values.phone).toBeUndefined();
    });

    it('refuses two columns with the same meaning', async () => {
      const header = [...HEADER, 'No KTP'];
      const error = await fileError(parseCsv(toCsv([header, [...dataRow(), '1603015705900001']])));
      expect(error.code).toBe('import.header.duplicate');
      expect(error.message).toContain('NIK (NIK, No KTP)');
    });

    it('an unclosed quote is import.file.unreadable', async () => {
      const error = await fileError(parseCsv(`${HEADER.join(';')}\n1;"1603015705900001;Siti\n`));
      expect(error.code).toBe('import.file.unreadable');
      expect(error.message).toContain('tanda kutip');
    });

    it('an unknown format is a programming error', async () => {
      await expect(collect(Buffer.from(''), 'ods' as NominationFileFormat)).rejects.toThrow(TypeError);
    });
  });

  describe('header variants', () => {
    const canonical: Record<string, string> = {
      nik: 'NIK',
      name: 'Nama',
      sex: 'Jenis Kelamin',
      birthDate: 'Tanggal Lahir',
      occupation: 'Pekerjaan',
      villageCode: 'Kode Desa',
      phone: 'No HP',
    };
    const cells: Record<string, string> = {
      nik: '1603015705900001',
      name: 'Siti Aminah',
      sex: 'P',
      birthDate: '17/05/1990',
      occupation: 'Petani',
      villageCode: '1603012001',
      phone: '081234567890',
    };
    const variants: [string, string][] = [
      ['nik', 'NIK'],
      ['nik', 'No KTP'],
      ['nik', 'No. KTP'],
      ['nik', 'Nomor Induk Kependudukan'],
      ['nik', 'nik (16 digit)'],
      ['name', 'Nama'],
      ['name', 'Nama Lengkap'],
      ['name', 'NAMA_LENGKAP'],
      ['name', 'Name'],
      ['name', 'Full Name'],
      ['name', ' full  name '],
      ['sex', 'Jenis Kelamin'],
      ['sex', 'Jenis Kelamin (L/P)'],
      ['sex', 'JK'],
      ['sex', 'J.K.'],
      ['sex', 'Sex'],
      ['sex', 'Gender'],
      ['birthDate', 'Tanggal Lahir'],
      ['birthDate', 'Tanggal Lahir (DD/MM/YYYY)'],
      ['birthDate', 'Tgl Lahir'],
      ['birthDate', 'Tgl. Lahir'],
      ['birthDate', 'TGL_LAHIR'],
      ['birthDate', 'Birth Date'],
      ['birthDate', 'Date of Birth'],
      ['birthDate', 'date-of-birth'],
      ['occupation', 'Pekerjaan'],
      ['occupation', 'PEKERJAAN'],
      ['occupation', 'Occupation'],
      ['occupation', 'Job'],
      ['villageCode', 'Kode Desa'],
      ['villageCode', 'Kode Wilayah'],
      ['villageCode', 'Kode Kelurahan'],
      ['villageCode', 'Village Code'],
      ['villageCode', 'kode_desa'],
      ['phone', 'No HP'],
      ['phone', 'No. HP'],
      ['phone', 'Nomor HP'],
      ['phone', 'No Telepon'],
      ['phone', 'No. Telp'],
      ['phone', 'Phone'],
    ];

    it.each(variants)('%s: %j', async (field, header) => {
      const fields = Object.keys(canonical);
      const headerRow = ['Keterangan', ...fields.map((f) => (f === field ? header : canonical[f]))];
      const row = ['bebas', ...fields.map((f) => cells[f])];
      const [parsed] = await parseCsv(toCsv([headerRow, row], { delimiter: ';' }));
      expect(parsed.problems).toEqual([]);
      expect(parsed.values).toEqual(expectedValues);
    });

    it('reads columns in any order', async () => {
      const order = [6, 5, 4, 3, 2, 1, 0, 7];
      const rows = await parseCsv(toCsv([order.map((i) => HEADER[i]), order.map((i) => dataRow()[i])]));
      expect(rows[0].values).toEqual(expectedValues);
    });
  });

  describe('cell normalisation', () => {
    it('keeps only the values it could read and collects every problem of the row', async () => {
      const row = await parseRow({
        nik: '',
        name: ' ',
        sex: 'X',
        birthDate: '31/02/1990',
        occupation: 'Astronot',
        villageCode: '16.03',
        phone: '12',
      });
      expect(row.values).toEqual({});
      expect(rules(row)).toEqual([
        'nik.required',
        'name.required',
        'sex.invalid',
        'birthDate.invalid',
        'occupation.unknown',
        'villageCode.format',
        'phone.invalid',
      ]);
      expect(row.problems.map((p) => p.field)).toEqual([
        'nik',
        'name',
        'sex',
        'birthDate',
        'occupation',
        'villageCode',
        'phone',
      ]);
    });

    it.each(['nik', 'name', 'sex', 'birthDate', 'occupation', 'villageCode'] as const)(
      'an empty or "-" %s is <field>.required',
      async (field) => {
        for (const empty of ['', '  ', '-']) {
          const row = await parseRow({ [field]: empty });
          expect(row.problems).toEqual([
            { field, rule: `${field}.required`, message: expect.stringMatching(/wajib diisi\.$/) },
          ]);
          expect(row.values[field]).toBeUndefined();
        }
      },
    );

    describe('NIK', () => {
      it.each([
        ['1603015705900001', '1603015705900001'],
        [' 1603015705900001 ', '1603015705900001'],
        ['1603 0157 0590 0001', '1603015705900001'],
        ['16.03.01.570590.0001', '1603015705900001'],
        ["'1603015705900001", '1603015705900001'],
      ])('%j → %j', async (cell, nik) => {
        const row = await parseRow({ nik: cell });
        expect(row.problems).toEqual([]);
        expect(row.values.nik).toBe(nik);
      });

      it.each(['1.60301E+15', '1,60301E+15', '1.603015705900E+15', '1.6E15'])(
        '%j (Excel wrote the number in scientific notation) is nik.excelNumber',
        async (cell) => {
          const row = await parseRow({ nik: cell });
          expect(row.problems).toEqual([
            {
              field: 'nik',
              rule: 'nik.excelNumber',
              message: expect.stringContaining('Format kolom NIK sebagai Teks'),
            },
          ]);
          expect(row.values.nik).toBeUndefined();
        },
      );

      it('leaves length and digit rules to the domain check', async () => {
        expect((await parseRow({ nik: '12345' })).values.nik).toBe('12345');
      });
    });

    describe('name', () => {
      it('trims and collapses spaces', async () => {
        expect((await parseRow({ name: '  Siti \t  Aminah  ' })).values.name).toBe('Siti Aminah');
      });

      it('accepts 1 to 100 characters', async () => {
        expect((await parseRow({ name: 'A' })).values.name).toBe('A');
        expect((await parseRow({ name: 'A'.repeat(100) })).values.name).toHaveLength(100);
        const long = await parseRow({ name: 'A'.repeat(101) });
        expect(rules(long)).toEqual(['name.invalid']);
        expect(long.problems[0].message).toContain('100 karakter');
      });

      it('refuses a name without letters (shifted columns)', async () => {
        expect(rules(await parseRow({ name: '1603015705900001' }))).toEqual(['name.invalid']);
      });
    });

    describe('sex', () => {
      it.each([
        ['L', 'L'],
        ['l', 'L'],
        ['Laki-laki', 'L'],
        ['LAKI-LAKI', 'L'],
        ['laki laki', 'L'],
        ['Laki', 'L'],
        ['Lelaki', 'L'],
        ['Lk', 'L'],
        ['Pria', 'L'],
        ['M', 'L'],
        ['male', 'L'],
        ['P', 'P'],
        ['p', 'P'],
        ['Perempuan', 'P'],
        ['PEREMPUAN', 'P'],
        ['Wanita', 'P'],
        ['Pr', 'P'],
        ['F', 'P'],
        ['Female', 'P'],
      ])('%j → %s', async (cell, sex) => {
        const row = await parseRow({ sex: cell });
        expect(row.problems).toEqual([]);
        expect(row.values.sex).toBe(sex);
      });

      it.each(['X', '1', 'L/P', 'Banci'])('%j is sex.invalid', async (cell) => {
        const row = await parseRow({ sex: cell });
        expect(row.problems).toEqual([
          {
            field: 'sex',
            rule: 'sex.invalid',
            message: 'Jenis kelamin tidak dikenali; isi L (laki-laki) atau P (perempuan).',
          },
        ]);
      });
    });

    describe('birth date', () => {
      it.each([
        ['1990-05-17', '1990-05-17'],
        ['1990-5-7', '1990-05-07'],
        ['1990-05-17 00:00:00', '1990-05-17'],
        ['17/05/1990', '1990-05-17'],
        ['17-05-1990', '1990-05-17'],
        ['17.05.1990', '1990-05-17'],
        ['7/5/1990', '1990-05-07'],
        ['29/02/2000', '2000-02-29'],
        ['33010', '1990-05-17'], // Excel serial: a date column formatted as General
        ['45292', '2024-01-01'],
        ['59', '1900-02-28'],
        ['61', '1900-03-01'],
      ])('%j → %s', async (cell, iso) => {
        const row = await parseRow({ birthDate: cell });
        expect(row.problems).toEqual([]);
        expect(row.values.birthDate).toBe(iso);
      });

      it.each([
        '31/02/1990',
        '29/02/1900',
        '29/02/2001',
        '00/05/1990',
        '31/04/1990',
        '05/17/1990',
        '1990-13-01',
        '60',
      ])('%j is not a calendar date: birthDate.invalid', async (cell) => {
        const row = await parseRow({ birthDate: cell });
        expect(row.problems).toEqual([
          {
            field: 'birthDate',
            rule: 'birthDate.invalid',
            message: expect.stringContaining('tidak ada di kalender'),
          },
        ]);
      });

      it.each(['17 Mei 1990', '17/05/90', '1990/05/17', '17-05/1990', 'kemarin', '0', '99999999'])(
        '%j has no known format: birthDate.invalid',
        async (cell) => {
          const row = await parseRow({ birthDate: cell });
          expect(row.problems).toEqual([
            { field: 'birthDate', rule: 'birthDate.invalid', message: expect.stringContaining('DD/MM/YYYY') },
          ]);
        },
      );
    });

    describe('occupation', () => {
      it.each([
        // codes and labels, any case
        ['petani', 'petani'],
        ['PETANI', 'petani'],
        ['petani_sawit', 'petani_sawit'],
        ['Petani Sawit', 'petani_sawit'],
        ['Pengemudi Ojek', 'ojek'],
        ['buruh harian lepas', 'buruh_harian_lepas'],
        ['Ketua RT/RW', 'ketua_rt_rw'],
        ['Anggota BPD', 'bpd'],
        ['Petugas Ad Hoc Pemilu', 'petugas_pemilu'],
        ['Lainnya', 'lainnya'],
        // synonyms
        ['tani', 'petani'],
        ['Tani', 'petani'],
        ['ojol', 'ojek'],
        ['Ojek Online', 'ojek'],
        ['tukang ojek', 'ojek'],
        ['guru mengaji', 'guru_ngaji'],
        ['Guru Ngaji', 'guru_ngaji'],
        ['RT', 'ketua_rt_rw'],
        ['RW', 'ketua_rt_rw'],
        ['ketua rt', 'ketua_rt_rw'],
        ['kades', 'kepala_desa'],
        ['Wali Nagari', 'kepala_desa'],
        ['perangkat', 'perangkat_desa'],
        ['buruh', 'buruh_harian_lepas'],
        ['marbut', 'marbot'],
        ['KPPS', 'petugas_pemilu'],
        ['hansip', 'linmas'],
      ])('%j → %s', async (cell, occupation) => {
        const row = await parseRow({ occupation: cell });
        expect(row.problems).toEqual([]);
        expect(row.values.occupation).toBe(occupation);
      });

      it('an unknown occupation lists the choices', async () => {
        const row = await parseRow({ occupation: 'Guru Honorer' });
        expect(row.problems).toEqual([
          {
            field: 'occupation',
            rule: 'occupation.unknown',
            message: expect.stringMatching(
              /^Pekerjaan tidak dikenali; isi salah satu: Petani, Petani Sawit, .*Lainnya\.$/,
            ),
          },
        ]);
      });
    });

    describe('village code', () => {
      it.each([
        ['1603012001', '1603012001'],
        ['16.03.01.2001', '1603012001'],
        [' 16.03.01.2001 ', '1603012001'],
      ])('%j → %s', async (cell, code) => {
        const row = await parseRow({ villageCode: cell });
        expect(row.problems).toEqual([]);
        expect(row.values.villageCode).toBe(code);
      });

      it.each(['160301', '16.03.01', '16030120011', 'A603012001', '16-03-01-2001'])(
        '%j is villageCode.format',
        async (cell) => {
          const row = await parseRow({ villageCode: cell });
          expect(row.problems).toEqual([
            {
              field: 'villageCode',
              rule: 'villageCode.format',
              message: 'Kode desa harus 10 digit angka, misalnya 1603012001 atau 16.03.01.2001.',
            },
          ]);
        },
      );
    });

    describe('phone', () => {
      it.each([
        ['081234567890', '081234567890'],
        ['0812 3456 7890', '081234567890'],
        ['0812-3456-7890', '081234567890'],
        ['+62 812-3456-7890', '081234567890'],
        ['+6281234567890', '081234567890'],
        ['6281234567890', '081234567890'],
        ['81234567890', '081234567890'],
        ['(0711) 352 111', '0711352111'],
        ['021123456', '021123456'],
      ])('%j → %s', async (cell, phone) => {
        const row = await parseRow({ phone: cell });
        expect(row.problems).toEqual([]);
        expect(row.values.phone).toBe(phone);
      });

      it.each(['12345678', '081234567890123', 'tidak ada', '0812345678x'])(
        '%j is phone.invalid',
        async (cell) => {
          const row = await parseRow({ phone: cell });
          expect(rules(row)).toEqual(['phone.invalid']);
        },
      );

      it.each(['', '-'])('%j is no phone and no problem (optional)', async (cell) => {
        const row = await parseRow({ phone: cell });
        expect(row.problems).toEqual([]);
        expect(row.values).not.toHaveProperty('phone');
      });
    });

    it('messages never repeat what the cells hold, even with shifted columns', async () => {
      const row = await parseRow({
        nik: '1.60301E+15',
        name: 'N'.repeat(101),
        sex: 'Siti Aminah',
        birthDate: '31/02/1990',
        occupation: 'Siti Aminah binti Ahmad',
        villageCode: '1603015705900001',
        phone: '99',
      });
      expect(rules(row)).toEqual([
        'nik.excelNumber',
        'name.invalid',
        'sex.invalid',
        'birthDate.invalid',
        'occupation.unknown',
        'villageCode.format',
        'phone.invalid',
      ]);
      const text = row.problems.map((p) => p.message).join(' ');
      for (const cell of ['1.60301E+15', 'NNNN', 'Siti', '31/02/1990', '1603015705900001', '99']) {
        expect(text).not.toContain(cell);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('parseNominationFile: XLSX', () => {
  async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    build(workbook);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  /** A template as a village would fill it in, with the usual Excel accidents. */
  const template = (workbook: ExcelJS.Workbook): void => {
    const sheet = workbook.addWorksheet('Usulan');
    sheet.getColumn(2).numFmt = '@';
    sheet.addRow(['DAFTAR USULAN PESERTA BPJS KETENAGAKERJAAN DESA MUARA HARAPAN']); // row 1
    sheet.addRow([]); // row 2
    sheet.addRow(HEADER); // row 3
    // row 4: everything right, the NIK typed into a Text column, the birth date as a date cell
    sheet.addRow([
      '1',
      '1603015705900001',
      'Siti Aminah',
      'P',
      new Date(Date.UTC(1990, 4, 17)),
      'Petani',
      '1603012001',
      '081234567890',
    ]);
    // row 5: NIK, village code and phone as number cells; the number NIK cannot have been cut
    sheet.addRow([
      2,
      1603011203850002,
      'Budi',
      'L',
      new Date(Date.UTC(1985, 2, 12)),
      'ojol',
      1603012001,
      81234567890,
    ]);
    // row 6: a NIK Excel cut to 15 significant digits
    sheet.addRow([3, 1603015705900000, 'Citra', 'P', '17/05/1990', 'Tani', '16.03.01.2001']);
    // row 7: a NIK beyond 2^53 that no double holds exactly
    sheet.addRow([4, 9101015705900001, 'Dewi', 'P', '1990-05-17', 'Nelayan', '1603012001']);
    // row 9 (row 8 left empty): a date typed into a General column (serial), rich text, a formula
    const row9 = sheet.getRow(9);
    row9.values = [
      5,
      '1603011203850003',
      { richText: [{ text: 'Eko ' }, { font: { bold: true }, text: 'Saputra' }] },
      'Laki-laki',
      33010,
      'Buruh',
      '1603012001',
      { formula: '"0812"&"34567890"', result: '081234567890' },
    ];
  };

  it('reads the first worksheet with cell types, from a Buffer', async () => {
    const rows = await collect(await xlsx(template), 'xlsx');
    expect(rows.map((row) => row.rowNumber)).toEqual([4, 5, 6, 7, 9]);
    expect(rows[0]).toEqual({
      rowNumber: 4,
      values: {
        nik: '1603015705900001',
        name: 'Siti Aminah',
        sex: 'P',
        birthDate: '1990-05-17',
        occupation: 'petani',
        villageCode: '1603012001',
        phone: '081234567890',
      },
      problems: [],
    });
    expect(rows[1]).toEqual({
      rowNumber: 5,
      values: {
        nik: '1603011203850002',
        name: 'Budi',
        sex: 'L',
        birthDate: '1985-03-12',
        occupation: 'ojek',
        villageCode: '1603012001',
        phone: '081234567890',
      },
      problems: [],
    });
    expect(rules(rows[2])).toEqual(['nik.excelNumber']);
    expect(rows[2].values).toMatchObject({
      name: 'Citra',
      birthDate: '1990-05-17',
      occupation: 'petani',
      villageCode: '1603012001',
    });
    expect(rules(rows[3])).toEqual(['nik.excelNumber']);
    expect(rows[4]).toEqual({
      rowNumber: 9,
      values: {
        nik: '1603011203850003',
        name: 'Eko Saputra',
        sex: 'L',
        birthDate: '1990-05-17',
        occupation: 'buruh_harian_lepas',
        villageCode: '1603012001',
        phone: '081234567890',
      },
      problems: [],
    });
  });

  it('reads the same workbook from a stream in small chunks', async () => {
    const rows = await collect(trickle(await xlsx(template), 512), 'xlsx');
    expect(rows).toHaveLength(5);
  });

  it('reads date cells by their UTC parts, whatever the server time zone', async () => {
    const bytes = await xlsx(template);
    const zone = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Asia/Jakarta', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        const rows = await collect(bytes, 'xlsx');
        expect([rows[0].values.birthDate, rows[1].values.birthDate]).toEqual(['1990-05-17', '1985-03-12']);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('counts serial numbers from 1904 in a 1904 workbook', async () => {
    const bytes = await xlsx((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('Usulan');
      sheet.addRow(HEADER);
      // 1990-05-17 is serial 33010 counted from 1900, and 1462 days fewer counted from 1904.
      sheet.addRow([1, '1603015705900001', 'Siti', 'P', 33010 - 1462, 'Petani', '1603012001']);
      sheet.addRow([
        2,
        '1603015705900001',
        'Siti',
        'P',
        new Date(Date.UTC(1990, 4, 17)),
        'Petani',
        '1603012001',
      ]);
    });
    const rows = await collect(bytes, 'xlsx');
    expect(rows.map((row) => row.values.birthDate)).toEqual(['1990-05-17', '1990-05-17']);
  });

  it('ignores later worksheets', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Usulan');
      sheet.addRow(HEADER);
      sheet.addRow(dataRow());
      const help = workbook.addWorksheet('Petunjuk');
      help.addRow(['Isi NIK sebagai Teks']);
      const second = workbook.addWorksheet('Cadangan');
      second.addRow(HEADER);
      second.addRow(dataRow({ name: 'Tidak Dibaca' }));
    });
    const rows = await collect(bytes, 'xlsx');
    expect(rows.map((row) => row.values.name)).toEqual(['Siti Aminah']);
  });

  it('reports missing columns with the header row number', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Usulan');
      sheet.addRow(['Judul']);
      sheet.addRow(['NIK', 'Nama', 'JK', 'Tgl Lahir']);
      sheet.addRow(['1603015705900001', 'Siti', 'P', '17/05/1990']);
    });
    const error = await fileError(collect(bytes, 'xlsx'));
    expect(error.code).toBe('import.header.missing');
    expect(error.details).toEqual({ columns: ['Pekerjaan', 'Kode Desa'], rowNumber: 2 });
  });

  it('an empty worksheet is import.file.empty; a header only gives zero rows', async () => {
    const empty = await xlsx((workbook) => workbook.addWorksheet('Usulan'));
    expect((await fileError(collect(empty, 'xlsx'))).code).toBe('import.file.empty');
    const headerOnly = await xlsx((workbook) => workbook.addWorksheet('Usulan').addRow(HEADER));
    expect(await collect(headerOnly, 'xlsx')).toEqual([]);
  });

  it('a broken file is import.file.unreadable', async () => {
    const bytes = await xlsx(template);
    // Cut inside the first parts: a cut further on is tested below with a workbook whose sheet
    // exceljs reads directly; here it would leave exceljs's temporary sheet copy behind.
    for (const broken of [
      Buffer.from('PK\x03\x04 not really a zip', 'latin1'),
      bytes.subarray(0, 200),
      Buffer.from('NIK;Nama\n'),
    ]) {
      expect((await fileError(collect(broken, 'xlsx'))).code).toBe('import.file.unreadable');
    }
  });

  it('passes on an error of the upload stream instead of waiting forever', async () => {
    const bytes = await xlsx(template);
    async function* broken(): AsyncGenerator<Buffer> {
      yield bytes.subarray(0, 1000);
      throw new Error('connection reset');
    }
    await expect(collect(Readable.from(broken()), 'xlsx')).rejects.toThrow('connection reset');
  });

  it('releases the upload stream when the caller stops early', async () => {
    const source = trickle(await xlsx(template), 4096);
    for await (const row of parseNominationFile(source, 'xlsx')) {
      expect(row.rowNumber).toBe(4);
      break;
    }
    expect(source.destroyed).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * A workbook written part by part, without exceljs, so that the order of the zip entries can be
 * chosen: Excel puts the worksheets before the shared strings, exceljs puts workbook.xml last.
 */
describe('parseNominationFile: XLSX zip entry order', () => {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

  /** A zip of stored (uncompressed) entries: local headers, data, central directory, end record. */
  function zip(entries: [string, string][]): Buffer {
    const locals: Buffer[] = [];
    const directory: Buffer[] = [];
    let offset = 0;
    for (const [name, text] of entries) {
      const nameBytes = Buffer.from(name);
      const data = Buffer.from(text);
      const crc = crc32(data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt32LE(crc, 16);
      central.writeUInt32LE(data.length, 20);
      central.writeUInt32LE(data.length, 24);
      central.writeUInt16LE(nameBytes.length, 28);
      central.writeUInt32LE(offset, 42);
      locals.push(local, nameBytes, data);
      directory.push(central, nameBytes);
      offset += local.length + nameBytes.length + data.length;
    }
    const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directorySize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, ...directory, end]);
  }

  type Cell = string | number | { serial: number };

  function parts(rows: Cell[][]): Record<string, string> {
    const strings: string[] = [];
    const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const sheetRows = rows.map((cells, r) => {
      const xml = cells.map((cell, c) => {
        const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
        if (typeof cell === 'string') return `<c r="${ref}" t="s"><v>${strings.push(cell) - 1}</v></c>`;
        if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
        return `<c r="${ref}" s="1"><v>${cell.serial}</v></c>`; // style 1: built-in date format 14
      });
      return `<row r="${r + 1}">${xml.join('')}</row>`;
    });
    return {
      '[Content_Types].xml':
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
        `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/>` +
        `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>` +
        `<Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.sharedStrings+xml"/></Types>`,
      '_rels/.rels': `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Usulan" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels':
        `<Relationships xmlns="${PKG}">` +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="${NS}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
      'xl/styles.xml':
        `<styleSheet xmlns="${NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
      'xl/sharedStrings.xml': `<sst xmlns="${NS}">${strings.map((t) => `<si><t>${escape(t)}</t></si>`).join('')}</sst>`,
      'docProps/app.xml':
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>',
    };
  }

  const rows: Cell[][] = [
    HEADER,
    [1, '1603015705900001', 'Siti Aminah', 'P', { serial: 33010 }, 'Petani', '1603012001', '081234567890'],
    [2, '1603011203850002', 'Budi', 'L', '12/03/1985', 'Nelayan', '1603012001'],
  ];

  it.each([
    [
      'Excel: worksheets, styles, shared strings, document properties',
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/worksheets/sheet1.xml',
        'xl/styles.xml',
        'xl/sharedStrings.xml',
        'docProps/app.xml',
      ],
    ],
    [
      'shared strings last',
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/worksheets/sheet1.xml',
        'xl/styles.xml',
        'docProps/app.xml',
        'xl/sharedStrings.xml',
      ],
    ],
    [
      'workbook.xml last, like exceljs',
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/worksheets/sheet1.xml',
        'xl/sharedStrings.xml',
        'xl/styles.xml',
        'docProps/app.xml',
        'xl/workbook.xml',
      ],
    ],
    [
      'everything before the worksheet',
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/sharedStrings.xml',
        'docProps/app.xml',
        'xl/worksheets/sheet1.xml',
      ],
    ],
  ])('reads every cell when the order is: %s', async (_label, order) => {
    const content = parts(rows);
    const bytes = zip(order.map((name) => [name, content[name]]));
    // The entry-loss race in exceljs depends on timing: try whole buffers and slow streams.
    for (const input of [() => bytes, () => trickle(bytes, 64), () => bytes, () => trickle(bytes, 1024)]) {
      const parsed = await collect(input(), 'xlsx');
      expect(
        parsed.map((row) => [row.rowNumber, row.values.name, row.values.birthDate, row.problems]),
      ).toEqual([
        [2, 'Siti Aminah', '1990-05-17', []],
        [3, 'Budi', '1985-03-12', []],
      ]);
    }
  });

  it('deletes the temporary copies exceljs makes of the sheets, also when the caller stops early', async () => {
    // Sheets that come before the shared strings are parked in temporary files by exceljs
    // (package `tmp`: tmp-<pid>-<random>); they hold names and NIKs.
    const parked = (): string[] =>
      readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));
    const content = parts(rows);
    const excelOrder = [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/worksheets/sheet1.xml',
      'xl/styles.xml',
      'xl/sharedStrings.xml',
      'docProps/app.xml',
    ];
    const bytes = zip(excelOrder.map((name) => [name, content[name]]));
    const before = parked().length;
    for await (const row of parseNominationFile(bytes, 'xlsx')) {
      expect(row.rowNumber).toBe(2);
      expect(parked().length).toBeGreaterThan(before); // the test sees the files it is about
      break;
    }
    // exceljs deletes them with an asynchronous unlink that it does not wait for.
    for (let wait = 0; wait < 50 && parked().length > before; wait += 1)
      await new Promise((r) => setTimeout(r, 10));
    expect(parked().length).toBe(before);
  });

  it('refuses a file cut short anywhere rather than reading part of it', async () => {
    const content = parts(rows);
    const order = [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/sharedStrings.xml',
      'xl/worksheets/sheet1.xml',
    ];
    const bytes = zip(order.map((name) => [name, content[name]]));
    const sheetStart = bytes.indexOf('<worksheet');
    for (const length of [sheetStart + 100, bytes.length - 30, bytes.length - 1]) {
      const error = await fileError(collect(bytes.subarray(0, length), 'xlsx'));
      expect(error.code).toBe('import.file.unreadable');
    }
  });

  it('refuses a workbook whose shared strings are missing instead of importing garbage', async () => {
    const content = parts(rows);
    const names = Object.keys(content).filter((name) => name !== 'xl/sharedStrings.xml');
    const error = await fileError(collect(zip(names.map((name) => [name, content[name]])), 'xlsx'));
    expect(error.code).toBe('import.file.unreadable');
  });
});

// ---------------------------------------------------------------------------------------------

describe('volume (not timed: the times are printed for the record)', () => {
  function nik(i: number): string {
    return `160301${String(100000 + (i % 900000)).padStart(6, '0')}${String((i % 9999) + 1).padStart(4, '0')}`;
  }

  it('streams a 100,000-row CSV', async () => {
    const count = 100_000;
    // Generated chunk by chunk, so the test does not hold the file either.
    async function* file(): AsyncGenerator<Buffer> {
      yield Buffer.from(`\uFEFF${HEADER.join(';')}\r\n`);
      let batch = '';
      for (let i = 1; i <= count; i += 1) {
        batch += `${i};${nik(i)};Peserta Nomor ${i};${i % 2 ? 'L' : 'P'};${(i % 28) + 1}/0${(i % 9) + 1}/19${60 + (i % 40)};Petani;1603012001;0812${String(i).padStart(8, '0')};Dusun ${i % 7}\r\n`;
        if (i % 1000 === 0) {
          yield Buffer.from(batch);
          batch = '';
        }
      }
    }
    const started = process.hrtime.bigint();
    let rows = 0;
    let problems = 0;
    let lastRowNumber = 0;
    for await (const row of parseNominationFile(Readable.from(file()), 'csv')) {
      rows += 1;
      problems += row.problems.length;
      lastRowNumber = row.rowNumber;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`CSV: ${rows} rows parsed in ${ms.toFixed(0)} ms (${Math.round(rows / (ms / 1000))} rows/s)`);
    expect(rows).toBe(count);
    expect(problems).toBe(0);
    expect(lastRowNumber).toBe(count + 1);
  });

  it('streams a 10,000-row XLSX', async () => {
    const count = 10_000;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Usulan');
    sheet.getColumn(2).numFmt = '@';
    sheet.addRow(HEADER);
    for (let i = 1; i <= count; i += 1) {
      sheet.addRow([
        i,
        nik(i),
        `Peserta Nomor ${i}`,
        i % 2 ? 'L' : 'P',
        new Date(Date.UTC(1960 + (i % 40), i % 12, (i % 28) + 1)),
        'Petani',
        '1603012001',
        `0812${String(i).padStart(8, '0')}`,
        `Dusun ${i % 7}`,
      ]);
    }
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    const started = process.hrtime.bigint();
    let rows = 0;
    let problems = 0;
    for await (const row of parseNominationFile(bytes, 'xlsx')) {
      rows += 1;
      problems += row.problems.length;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `XLSX: ${rows} rows (${(bytes.length / 1024).toFixed(0)} KiB) parsed in ${ms.toFixed(0)} ms (${Math.round(rows / (ms / 1000))} rows/s)`,
    );
    expect(rows).toBe(count);
    expect(problems).toBe(0);
  });
});
